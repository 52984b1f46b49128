/**
 * `lesson losses`: a line fitted to data with outliers under MSE, MAE and Huber. Squaring lets the
 * few outliers pull the MSE line toward them; MAE's constant-size gradient ignores how far they are.
 */
import { huberLoss, l1Loss, mseLoss } from '@nabla/losses';
import { Adam, CosineAnnealingLR } from '@nabla/optimizers';
import { linspace, tensor, zeros, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import { chartSvg } from '../util/chart';
import { Stream } from '../util/rng';
import type { Io } from '../util/io';
import { writeOutput } from '../util/files';

export const TRUE_LINE = { slope: 2, intercept: 1 } as const;

const LOSSES = {
  MSE: (p: Tensor, y: Tensor) => mseLoss(p, y),
  MAE: (p: Tensor, y: Tensor) => l1Loss(p, y),
  Huber: (p: Tensor, y: Tensor) => huberLoss(p, y, { delta: 1 }),
} satisfies Record<string, (p: Tensor, y: Tensor) => Tensor>;
type LossName = keyof typeof LOSSES;

export interface LineFit {
  loss: LossName;
  slope: number;
  intercept: number;
  /** Mean |error| of the fitted line on the inliers only. */
  inlierError: number;
}

/** 40 points on y = 2x + 1 with noise; the 4 rightmost get pulled down by 30 (the outliers). */
export function lineData(seed: number): { x: number[]; y: number[]; outlier: boolean[] } {
  const rng = new Stream(seed);
  const n = 40;
  const x = Array.from({ length: n }, (_, i) => (10 * i) / (n - 1));
  const outlier = x.map((_, i) => i >= n - 4);
  const y = x.map((xi, i) => TRUE_LINE.slope * xi + TRUE_LINE.intercept + 0.5 * rng.normal() - (outlier[i] ? 30 : 0));
  return { x, y, outlier };
}

function fitLine(loss: LossName, x: Tensor, y: Tensor, steps: number): { slope: number; intercept: number } {
  const w = zeros([1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const opt = new Adam([w, b], { lr: 0.2 });
  // Annealing lets MAE settle: its gradient never shrinks near the optimum, only the step does.
  const sched = new CosineAnnealingLR(opt, { tMax: steps });
  for (let i = 0; i < steps; i++) {
    const l = LOSSES[loss](x.mul(w).add(b), y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    sched.step();
  }
  return { slope: w.item(), intercept: b.item() };
}

export async function lessonLosses(o: { seed: number; out: string; steps: number }, io: Io): Promise<LineFit[]> {
  const data = lineData(o.seed);
  const x = tensor(data.x);
  const y = tensor(data.y);
  io.out(`data: ${data.x.length} points on y = ${TRUE_LINE.slope}x + ${TRUE_LINE.intercept} + noise, ${data.outlier.filter(Boolean).length} outliers pulled down by 30`);
  io.out(`fitting y = w·x + b with Adam (lr 0.2, cosine annealing, ${o.steps} steps) under each loss:`);
  io.out(`  loss    slope   intercept   mean |error| on inliers`);
  const fits: LineFit[] = [];
  for (const name of Object.keys(LOSSES) as LossName[]) {
    const { slope, intercept } = fitLine(name, x, y, o.steps);
    let err = 0;
    let n = 0;
    data.x.forEach((xi, i) => {
      if (data.outlier[i]) return;
      err += Math.abs(slope * xi + intercept - data.y[i]);
      n++;
    });
    fits.push({ loss: name, slope, intercept, inlierError: err / n });
    io.out(`  ${name.padEnd(6)} ${slope.toFixed(3).padStart(6)}   ${intercept.toFixed(3).padStart(8)}    ${(err / n).toFixed(3)}`);
    await new Promise<void>((r) => setImmediate(r));
  }
  io.out(`true:   ${TRUE_LINE.slope.toFixed(3).padStart(6)}   ${TRUE_LINE.intercept.toFixed(3).padStart(8)}`);
  io.out("MSE squares the residuals, so the outliers' large errors dominate its gradient and tilt the line toward them; MAE weighs every point the same and stays on the inliers; Huber is quadratic near 0 and linear beyond delta.");

  // The penalty each loss puts on one residual r, computed by the library.
  const r = linspace(-3, 3, 121);
  const z = zeros([121]);
  const penalty = noGrad(() =>
    (Object.keys(LOSSES) as LossName[]).map((name) => {
      const fn = { MSE: mseLoss, MAE: l1Loss, Huber: (a: Tensor, b: Tensor, opt: { reduction: 'none' }) => huberLoss(a, b, { ...opt, delta: 1 }) }[name];
      const v = fn(r, z, { reduction: 'none' }).data() as Float32Array;
      const rs = r.data() as Float32Array;
      return { name, points: Array.from(rs, (ri, i) => [ri, v[i]] as [number, number]) };
    }),
  );
  const line = (s: number, c: number): [number, number][] => [[0, c], [10, 10 * s + c]];
  const svg = chartSvg([
    {
      title: 'Fitting a line with outliers',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: 'data', points: data.x.map((xi, i) => [xi, data.y[i]] as [number, number]), scatter: true },
        ...fits.map((f) => ({ name: `${f.loss}: y = ${f.slope.toFixed(2)}x + ${f.intercept.toFixed(2)}`, points: line(f.slope, f.intercept) })),
        { name: 'true: y = 2x + 1', points: line(TRUE_LINE.slope, TRUE_LINE.intercept), dashed: true },
      ],
    },
    { title: 'Penalty on one residual', xLabel: 'residual r', yLabel: 'loss', series: penalty },
  ]);
  io.out(`wrote ${writeOutput(o.out, 'lesson-losses.svg', svg)}`);
  return fits;
}
