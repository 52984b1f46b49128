/**
 * `lesson entropy`: for two distributions, H(P,Q) = H(P) + D_KL(P‖Q), each term computed by the
 * library; then cross-entropy training of logits toward P drives the KL divergence to 0, leaving H(P).
 */
import { crossEntropy, entropy, klDivergence } from '@nabla/losses';
import { SGD } from '@nabla/optimizers';
import { tensor, zeros } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import { chartSvg } from '../util/chart';
import { writeOutput } from '../util/files';
import type { Io } from '../util/io';

export const P = [0.5, 0.25, 0.125, 0.125];
export const Q = [0.1, 0.2, 0.3, 0.4];

export interface EntropyResult {
  hP: number;
  kl: number;
  crossEntropy: number;
  /** KL(P‖softmax(z)) at each training step. */
  klCurve: number[];
}

const fmt = (v: number) => `${v.toFixed(6)} nats (${(v / Math.LN2).toFixed(4)} bits)`;

export async function lessonEntropy(o: { out: string; steps: number }, io: Io): Promise<EntropyResult> {
  const p = tensor(P, { dtype: 'float64' });
  const q = tensor(Q, { dtype: 'float64' });
  const hP = entropy(p).item();
  const kl = klDivergence(p, q).item();
  // crossEntropy with probability targets: −Σ P log softmax(logits); with logits = log Q that is H(P,Q).
  const ce = crossEntropy(q.log().unsqueeze(0), p.unsqueeze(0)).item();
  io.out(`P = [${P.join(', ')}]`);
  io.out(`Q = [${Q.join(', ')}]`);
  io.out(`H(P)         = ${fmt(hP)}`);
  io.out(`D_KL(P‖Q)    = ${fmt(kl)}`);
  io.out(`H(P) + D_KL  = ${fmt(hP + kl)}`);
  io.out(`H(P,Q)       = ${fmt(ce)}   (crossEntropy of logits log Q against target P)`);
  io.out(`|H(P,Q) − (H(P) + D_KL(P‖Q))| = ${Math.abs(ce - hP - kl).toExponential(2)}`);

  // Learn logits z with cross-entropy against P: the loss can only fall to H(P), where softmax(z) = P.
  const z = zeros([1, 4], { dtype: 'float64', requiresGrad: true });
  const target = p.unsqueeze(0);
  const opt = new SGD([z], { lr: 1 });
  const ceCurve: number[] = [];
  const klCurve: number[] = [];
  for (let i = 0; i < o.steps; i++) {
    const loss = crossEntropy(z, target);
    ceCurve.push(loss.item());
    klCurve.push(noGrad(() => klDivergence(p, z.softmax(-1).squeeze(0)).item()));
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  await new Promise<void>((r) => setImmediate(r));
  const learned = Array.from(noGrad(() => z.softmax(-1)).data() as Float64Array);
  io.out(`training logits z from 0 with cross-entropy against P (SGD lr 1, ${o.steps} steps):`);
  for (const s of [0, 10, 50, o.steps - 1].filter((s) => s < o.steps)) {
    io.out(`  step ${String(s).padStart(4)}: H(P,softmax z) = ${ceCurve[s].toFixed(6)}   D_KL = ${klCurve[s].toExponential(3)}`);
  }
  io.out(`softmax(z) = [${learned.map((v) => v.toFixed(4)).join(', ')}]; the loss approaches H(P) = ${hP.toFixed(6)} as D_KL → 0`);

  const steps = (v: number[]) => v.map((y, i) => [i, y] as [number, number]);
  const svg = chartSvg([
    {
      title: 'Cross-entropy training: H(P,Q) = H(P) + KL',
      xLabel: 'step',
      yLabel: 'nats',
      series: [
        { name: 'H(P, softmax z) (the loss)', points: steps(ceCurve) },
        { name: 'D_KL(P‖softmax z)', points: steps(klCurve) },
        { name: 'H(P)', points: [[0, hP], [o.steps - 1, hP]], dashed: true },
      ],
    },
    {
      title: 'Distributions',
      xLabel: 'outcome',
      yLabel: 'probability',
      series: [
        { name: 'P (target)', points: P.map((v, i) => [i, v] as [number, number]) },
        { name: 'Q', points: Q.map((v, i) => [i, v] as [number, number]), dashed: true },
        { name: 'softmax z after training', points: learned.map((v, i) => [i, v] as [number, number]), scatter: true },
      ],
    },
  ]);
  io.out(`wrote ${writeOutput(o.out, 'lesson-entropy.svg', svg)}`);
  return { hP, kl, crossEntropy: ce, klCurve };
}
