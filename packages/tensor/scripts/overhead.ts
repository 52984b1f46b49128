// Per-op overhead of tiny ops on the js backend, next to the raw backend cost (alloc + kernel) of the same work.
// Run: node --conditions=@nabla/source --import tsx packages/tensor/scripts/overhead.ts
import type { View } from '@nabla/core';
import { tensor, setGradEnabled, defaultBackend } from '../src/index';

function bench(name: string, fn: () => unknown, n = 200000): number {
  for (let i = 0; i < 20000; i++) fn();
  // CPU time of this process (user + system), not wall time: stable on a busy machine.
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const c = process.cpuUsage(c0);
  const us = (c.user + c.system) / n;
  console.log(`${name.padEnd(34)} ${us.toFixed(3)} µs/op`);
  return us;
}

const a = tensor([1, 2, 3, 4], { dtype: 'float32' });
const b = tensor([5, 6, 7, 8], { dtype: 'float32' });
const be = defaultBackend();
const view = (storage: unknown): View => ({ storage, dtype: 'float32', shape: [4], strides: [1], offset: 0 });
const out = view(be.alloc('float32', 4));
bench('raw kernel add (preallocated out)', () => be.kernels.binary('add', out, a, b));
const raw = bench('raw alloc + kernel add + free', () => {
  const s = be.alloc('float32', 4);
  be.kernels.binary('add', view(s), a, b);
  be.free(s);
});
const t = bench('tensor add + dispose', () => a.add(b).dispose());
console.log(`=> tensor-layer overhead per add ≈ ${(t - raw).toFixed(3)} µs`);
bench('tensor add (freed by GC)', () => a.add(b));
bench('tensor mul by number (cached)', () => a.mul(2).dispose());
bench('tensor exp', () => a.exp().dispose());
bench('tensor sum', () => a.sum().dispose());
bench('tensor reshape (view)', () => a.reshape([2, 2]).dispose());
const w = tensor([1, 2, 3, 4], { dtype: 'float32', requiresGrad: true });
bench('tensor add, input requires grad', () => w.add(b));
setGradEnabled(false);
bench('tensor add, grad disabled', () => w.add(b).dispose());
