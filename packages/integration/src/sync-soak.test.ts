// A training loop that never yields to the event loop (so no finalizer runs) and never disposes:
// its memory must stay flat anyway, because collectable backends' storage is freed by the collector itself.
import { describe, expect, it } from 'vitest';
import { getBackend, setBackend, type Backend } from '@nabla/core';
import { createNativeBackend, nativeAvailable } from '@nabla/backend-native';
import { manualSeed, randn } from '@nabla/tensor';
import '@nabla/autograd';
import { Linear, ReLU, Sequential } from '@nabla/layers';
import { crossEntropy } from '@nabla/losses';
import { SGD } from '@nabla/optimizers';

const MB = 2 ** 20;

/**
 * RSS growth in MB over `steps` synchronous steps (after a warm-up that lets the heap reach its working size).
 * A narrow MLP on wide inputs: little compute (the js backend runs it too), ~400 KB of fresh storage a step.
 */
export function soak(steps: number): number {
  manualSeed(0);
  const model = new Sequential(new Linear(784, 32), new ReLU(), new Linear(32, 10));
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const step = (): void => {
    const x = randn([128, 784]); // 400 KB of input per step, plus labels, logits, loss and CE internals
    const y = x.narrow(1, 0, 10).argmax(1);
    const loss = crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  for (let i = 0; i < 200; i++) step();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < steps; i++) step();
  return (process.memoryUsage().rss - before) / MB;
}

function withBackend<T>(b: Backend, f: () => T): T {
  const prev = getBackend();
  setBackend(b);
  try {
    return f();
  } finally {
    setBackend(prev);
  }
}

// Before storage was collectable (the finalizer's record held the buffer), this loop grew by ~600 MB on both.
describe('a synchronous training loop without dispose', () => {
  it('keeps RSS flat on the js backend', () => {
    const grown = soak(600); // the js backend's RNG and matmul are slow: fewer steps, still ~250 MB of storage
    console.log(`js: RSS +${grown.toFixed(0)} MB over 600 steps`);
    expect(grown).toBeLessThan(150);
  }, 180_000);

  it.skipIf(!nativeAvailable())('keeps RSS flat on the native backend', () => {
    const grown = withBackend(createNativeBackend({ threads: 2 }), () => soak(1500));
    console.log(`native: RSS +${grown.toFixed(0)} MB over 1500 steps`);
    expect(grown).toBeLessThan(150);
  }, 180_000);
});
