import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor, type Tensor } from '@nabla/tensor';
import { crossEntropy } from '@nabla/losses';
import { Linear, ReLU, Sequential, Tanh } from '@nabla/layers';
import { Adagrad, Adam, AdamW, RMSprop, SGD, StepLR, clipGradNorm, type Optimizer } from './index';

const HIDDEN = 32;

/** Three interleaved 2-D spirals (cs231n's toy problem), seeded: not linearly separable. */
function spirals(perClass: number, classes = 3): { x: Tensor; y: Tensor } {
  manualSeed(1234);
  const noise = randn([perClass * classes]).mul(0.2).data();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / perClass;
      const t = c * 4 + 4 * r + noise[c * perClass + i];
      xs.push(r * Math.sin(t), r * Math.cos(t));
      ys.push(c);
    }
  }
  return { x: tensor(xs, { shape: [perClass * classes, 2] }), y: tensor(ys, { dtype: 'int32' }) };
}

function mlp(): Sequential {
  manualSeed(7);
  return new Sequential(new Linear(2, HIDDEN), new ReLU(), new Linear(HIDDEN, HIDDEN), new Tanh(), new Linear(HIDDEN, 3));
}

const accuracy = (logits: Tensor, y: Tensor): number => logits.argmax(1).eq(y).float().mean().item();

const OPTIMIZERS: [string, (p: Tensor[]) => Optimizer<any, any>, number][] = [
  ['SGD+momentum', (p) => new SGD(p, { lr: 0.2, momentum: 0.9 }), 200],
  ['SGD+nesterov+weightDecay', (p) => new SGD(p, { lr: 0.2, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }), 200],
  ['Adam', (p) => new Adam(p, { lr: 0.02 }), 100],
  ['Adam+amsgrad', (p) => new Adam(p, { lr: 0.02, amsgrad: true }), 100],
  ['AdamW', (p) => new AdamW(p, { lr: 0.02, weightDecay: 0.01 }), 100],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01 }), 120],
  ['RMSprop+centered+momentum', (p) => new RMSprop(p, { lr: 0.005, centered: true, momentum: 0.5 }), 100],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1 }), 120],
];

describe('an MLP learns three spirals with each optimizer (seeded, full batch)', () => {
  const { x, y } = spirals(40);
  it.each(OPTIMIZERS.map(([name, make, steps]) => ({ name, make, steps })))('$name reaches ≥ 90% training accuracy', ({ make, steps }) => {
    const model = mlp();
    const opt = make(model.parameters());
    const first = crossEntropy(model.forward(x), y).item();
    let last = first;
    for (let step = 0; step < steps; step++) {
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(x), y);
      loss.backward();
      opt.step();
      last = loss.item();
    }
    const acc = accuracy(model.forward(x), y);
    expect(last).toBeLessThan(first / 3);
    expect(acc).toBeGreaterThanOrEqual(0.9);
  });

  it('SGD with a StepLR schedule and gradient clipping also gets there', () => {
    const model = mlp();
    const opt = new SGD(model.parameters(), { lr: 0.3, momentum: 0.9 });
    const sched = new StepLR(opt, { stepSize: 80, gamma: 0.5 });
    for (let step = 0; step < 200; step++) {
      opt.zeroGrad();
      crossEntropy(model.forward(x), y).backward();
      clipGradNorm(model.parameters(), 5);
      opt.step();
      sched.step();
    }
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.3 * 0.5 ** 2);
    expect(accuracy(model.forward(x), y)).toBeGreaterThanOrEqual(0.9);
  });
});
