/**
 * Issue item 8: a training loop written without any dispose call keeps memory() and RSS flat, because
 * backward() releases the graph and the storage finalizer frees what the collector reclaims.
 */
import { expect, it } from 'vitest';
import { type Tensor, manualSeed, memory, randn } from '@nabla/tensor';
import { noGrad } from './index';

const collect = (global as { gc?: () => void }).gc;

function settle(): void {
  for (let i = 0; i < 3; i++) collect?.();
}

/** Waits for FinalizationRegistry callbacks, which run in a later task than the collection itself. */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function snapshot(): Promise<{ tensors: number; bytes: number; rss: number }> {
  settle();
  await tick();
  settle();
  await tick();
  const m = memory();
  return { tensors: m.tensors, bytes: m.bytes, rss: process.memoryUsage().rss };
}

it('10,000 steps of MLP forward + backward + SGD stay flat without dispose', async () => {
  manualSeed(1);
  const params = [randn([8, 16]).mul(0.3), randn([16]).mul(0), randn([16, 4]).mul(0.3), randn([4]).mul(0)].map((p) => p.detach().requiresGrad_(true));
  const [w1, b1, w2, b2] = params;
  const x = randn([32, 8]);
  const y = randn([32, 4]);
  const step = (): number => {
    const loss = x.matmul(w1).add(b1).relu().matmul(w2).add(b2).sub(y).square().mean();
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad!.mul(0.05));
        p.grad = null;
      }
    });
    return loss.item();
  };
  const losses: number[] = [];
  for (let i = 0; i < 1000; i++) losses.push(step());
  const early = await snapshot();
  // A look every 1,000 steps (with a collection, as a long-running trainer's idle time would give).
  let peakRss = early.rss;
  for (let k = 0; k < 9; k++) {
    for (let i = 0; i < 1000; i++) losses.push(step());
    peakRss = Math.max(peakRss, (await snapshot()).rss);
  }
  const late = await snapshot();
  expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  // generous bounds: a leak of even one tensor per step would add 9,000 tensors
  expect(late.tensors - early.tensors).toBeLessThan(500);
  expect(late.bytes - early.bytes).toBeLessThan(2e6);
  expect(peakRss - early.rss).toBeLessThan(64 * 2 ** 20);
  expect(collect, 'run with --expose-gc (vitest execArgv) so the test can collect').toBeTypeOf('function');
}, 120_000);

it('keeping the loss alive does not keep its graph alive after backward', async () => {
  const w = randn([64, 64]).detach().requiresGrad_(true);
  const kept: Tensor[] = [];
  const before = await snapshot();
  for (let i = 0; i < 200; i++) {
    const loss = w.matmul(w).tanh().matmul(w).sum();
    loss.backward();
    kept.push(loss); // a common habit: keep losses for a plot
    w.grad = null;
  }
  const after = await snapshot();
  // each graph held about 4 tensors of 64×64 float32 (16 KB each): 200 retained graphs would be > 12 MB
  expect(after.bytes - before.bytes).toBeLessThan(2e6);
  expect(kept).toHaveLength(200);
});
