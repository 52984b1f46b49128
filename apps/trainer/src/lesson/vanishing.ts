/**
 * `lesson vanishing`: per-layer gradient norms of a deep sigmoid network against the same network
 * with ReLU, at initialisation and during training. σ'(x) ≤ 1/4, so each sigmoid layer scales the
 * backward signal down and the first layers of a deep sigmoid net barely learn.
 */
import { noGrad } from '@nabla/autograd';
import { DataLoader, TensorDataset } from '@nabla/data';
import { Linear, ReLU, Sequential, Sigmoid, init, type Module } from '@nabla/layers';
import { crossEntropy } from '@nabla/losses';
import { SGD } from '@nabla/optimizers';
import { manualSeed, type Tensor } from '@nabla/tensor';
import { head, loadNpmMnist, splitDigits } from '../data/digits';
import { imagesTensor, labelsTensor } from '../mnist/data';
import { MNIST_NORMALIZE } from '../mnist/model';
import { COLORS, chartSvg, type Series } from '../util/chart';
import { writeOutput } from '../util/files';
import type { Io } from '../util/io';

/**
 * Each activation with the initialisation designed for it (Xavier for sigmoid, He for ReLU), so
 * the difference comes from the activation's derivative, not from a poorly scaled init.
 */
const COLOR: Record<string, string> = { sigmoid: COLORS[0], relu: COLORS[1] };

const ACTIVATIONS = {
  sigmoid: { make: () => new Sigmoid(), init: (w: Tensor) => init.xavierUniform(w), initName: 'Xavier uniform' },
  relu: { make: () => new ReLU(), init: (w: Tensor) => init.kaimingUniform(w, { nonlinearity: 'relu' }), initName: 'He (Kaiming) uniform' },
} satisfies Record<string, { make: () => Module; init: (w: Tensor) => Tensor; initName: string }>;
type Activation = keyof typeof ACTIVATIONS;

export interface VanishingOptions {
  depth: number;
  width: number;
  steps: number;
  lr: number;
  seed: number;
  limit: number;
  out: string;
}

export interface VanishingResult {
  /** Frobenius norm of ∂L/∂W for each Linear layer (input side first), at initialisation. */
  atInit: Record<Activation, number[]>;
  /** The same after training. */
  atEnd: Record<Activation, number[]>;
  finalLoss: Record<Activation, number>;
}

function deepNet(act: Activation, depth: number, width: number): { net: Module; linears: Linear[] } {
  const linears: Linear[] = [];
  const layers: Module[] = [];
  let inF = 784;
  for (let i = 0; i < depth - 1; i++) {
    const l = new Linear(inF, width);
    linears.push(l);
    layers.push(l, ACTIVATIONS[act].make());
    inF = width;
  }
  const last = new Linear(inF, 10);
  linears.push(last);
  layers.push(last);
  noGrad(() => {
    for (const l of linears) {
      ACTIVATIONS[act].init(l.weight);
      if (l.bias) init.zeros(l.bias);
    }
  });
  return { net: new Sequential(...layers), linears };
}

const gradNorms = (linears: Linear[]): number[] =>
  noGrad(() => linears.map((l) => (l.weight.grad ? l.weight.grad.square().sum().sqrt().item() : 0)));

export async function lessonVanishing(o: VanishingOptions, io: Io): Promise<VanishingResult> {
  const { train } = splitDigits(loadNpmMnist(), 0.2, o.seed);
  const digits = head(train, o.limit);
  const x = imagesTensor(digits, [784], MNIST_NORMALIZE);
  const y = labelsTensor(digits);
  io.out(`network: ${o.depth} Linear layers (784 → ${o.width} × ${o.depth - 1} → 10), zero biases, same seed for both`);
  io.out(`init: ${(Object.keys(ACTIVATIONS) as Activation[]).map((a) => `${a} with ${ACTIVATIONS[a].initName}`).join(', ')}`);
  io.out(`data: ${digits.count} MNIST digits; SGD lr ${o.lr}, batch 64, ${o.steps} steps`);

  const atInit = {} as Record<Activation, number[]>;
  const atEnd = {} as Record<Activation, number[]>;
  const finalLoss = {} as Record<Activation, number>;
  const during: Record<Activation, { step: number; norms: number[]; loss: number }[]> = { sigmoid: [], relu: [] };
  for (const act of Object.keys(ACTIVATIONS) as Activation[]) {
    manualSeed(o.seed);
    const { net, linears } = deepNet(act, o.depth, o.width);
    const opt = new SGD(net.parameters(), { lr: o.lr });
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, seed: o.seed });
    // At init: the gradient of the loss on a fixed batch (the first 256 digits), before any step.
    const lossOn = (xb: Tensor, yb: Tensor) => crossEntropy(net.forward(xb), yb);
    lossOn(x.narrow(0, 0, Math.min(256, digits.count)), y.narrow(0, 0, Math.min(256, digits.count))).backward();
    atInit[act] = gradNorms(linears);
    let step = 0;
    let last = NaN;
    while (step < o.steps) {
      for (const [xb, yb] of loader) {
        const loss = lossOn(xb, yb);
        opt.zeroGrad();
        loss.backward();
        last = loss.item();
        if (step % 5 === 0 || step === o.steps - 1) during[act].push({ step, norms: gradNorms(linears), loss: last });
        opt.step();
        await new Promise<void>((r) => setImmediate(r));
        if (++step >= o.steps) break;
      }
    }
    atEnd[act] = during[act][during[act].length - 1].norms;
    finalLoss[act] = last;
  }

  io.out('gradient norm ‖∂L/∂W‖ per layer at initialisation (layer 1 is next to the input):');
  io.out(`  layer   ${'sigmoid'.padStart(10)}   ${'relu'.padStart(10)}`);
  atInit.sigmoid.forEach((s, i) => io.out(`  ${String(i + 1).padStart(5)}   ${s.toExponential(3).padStart(10)}   ${atInit.relu[i].toExponential(3).padStart(10)}`));
  for (const act of ['sigmoid', 'relu'] as const) {
    const ratio = (v: number[]) => (v[0] / v[v.length - 1]).toExponential(2);
    io.out(`${act.padEnd(7)}: layer 1 / layer ${o.depth} gradient ratio ${ratio(atInit[act])} at init, ${ratio(atEnd[act])} after ${o.steps} steps; training loss ${finalLoss[act].toFixed(4)}`);
  }
  io.out('The sigmoid network\'s first layers get gradients orders of magnitude smaller than its last (σ\' ≤ 1/4 per layer), so its loss barely moves; ReLU passes gradients through active units unchanged.');

  const layerSeries = (v: Record<Activation, number[]>, when: string): Series[] =>
    (Object.keys(v) as Activation[]).map((a) => ({ name: `${a} (${when})`, points: v[a].map((n, i) => [i + 1, n] as [number, number]), dashed: when !== 'init', color: COLOR[a] }));
  const overTime: Series[] = (Object.keys(during) as Activation[]).flatMap((a) => [
    { name: `${a}: layer 1`, points: during[a].map((d) => [d.step, d.norms[0]] as [number, number]), color: COLOR[a] },
    { name: `${a}: layer ${o.depth}`, points: during[a].map((d) => [d.step, d.norms[o.depth - 1]] as [number, number]), dashed: true, color: COLOR[a] },
  ]);
  const svg = chartSvg(
    [
      { title: 'Gradient norm per layer', xLabel: 'layer (1 = input side)', yLabel: '‖∂L/∂W‖', logY: true, series: [...layerSeries(atInit, 'init'), ...layerSeries(atEnd, `step ${o.steps}`)] },
      { title: 'Gradient norms during training', xLabel: 'step', yLabel: '‖∂L/∂W‖', logY: true, series: overTime },
      { title: 'Training loss', xLabel: 'step', yLabel: 'cross-entropy', series: (Object.keys(during) as Activation[]).map((a) => ({ name: a, points: during[a].map((d) => [d.step, d.loss] as [number, number]), color: COLOR[a] })) },
    ],
    { columns: 3 },
  );
  io.out(`wrote ${writeOutput(o.out, 'lesson-vanishing.svg', svg)}`);
  return { atInit, atEnd, finalLoss };
}
