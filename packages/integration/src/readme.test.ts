// The root README's training loop, run as written.
import { describe, expect, it } from 'vitest';
import { manualSeed, randn } from '@nabla/tensor';
import '@nabla/autograd';
import { Linear, ReLU, Sequential } from '@nabla/layers';
import { crossEntropy } from '@nabla/losses';
import { SGD } from '@nabla/optimizers';

describe('README training loop', () => {
  it('runs and drives the loss down', () => {
    manualSeed(0);
    const x = randn([256, 20]);
    const y = x.narrow(1, 0, 3).argmax(1); // a learnable labelling
    const model = new Sequential(new Linear(20, 64), new ReLU(), new Linear(64, 3));
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const loss = crossEntropy(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses[0]).toBeGreaterThan(1);
    expect(losses[99]).toBeLessThan(0.8 * losses[0]);
  });
});
