// Measures (never asserts): GEMM GFLOP/s at 1 and 2 threads, exp/add memory throughput, per-op overhead.
// Run: pnpm bench (from this package). Prints one line per measurement.
import type { Backend, DType, View } from '@nabla/core';
import { createNativeBackend, type NativeStorage } from '../src/index';

const dense = (storage: NativeStorage, dtype: DType, shape: number[]): View<NativeStorage> => {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { storage, dtype, shape, strides, offset: 0 };
};
const now = () => performance.now();

/** Best time in ms of `reps` runs after one warm-up. */
function best(reps: number, f: () => void): number {
  f();
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    f();
    t = Math.min(t, now() - t0);
  }
  return t;
}

function gemm(be: Backend<NativeStorage>, n: number): number {
  const a = be.alloc('float32', n * n);
  const b = be.alloc('float32', n * n);
  const c = be.alloc('float32', n * n);
  be.kernels.fillRandom(dense(a, 'float32', [n * n]), 'uniform', 1, 0);
  be.kernels.fillRandom(dense(b, 'float32', [n * n]), 'uniform', 2, 0);
  const reps = n <= 256 ? 30 : n <= 1024 ? 5 : 2;
  const ms = best(reps, () => be.kernels.matmul(dense(c, 'float32', [1, n, n]), dense(a, 'float32', [1, n, n]), dense(b, 'float32', [1, n, n])));
  [a, b, c].forEach((h) => be.free(h));
  return (2 * n ** 3) / (ms * 1e6);
}

function stream(be: Backend<NativeStorage>): { exp: number; add: number } {
  const n = 1 << 24;
  const x = be.alloc('float32', n);
  const y = be.alloc('float32', n);
  const o = be.alloc('float32', n);
  const v = (h: NativeStorage) => dense(h, 'float32', [n]);
  be.kernels.fillRandom(v(x), 'normal', 3, 0);
  const exp = best(5, () => be.kernels.unary('exp', v(o), v(x)));
  const add = best(5, () => be.kernels.binary('add', v(o), v(x), v(y)));
  [x, y, o].forEach((h) => be.free(h));
  return { exp: (8 * n) / (exp * 1e6), add: (12 * n) / (add * 1e6) };
}

function overhead(be: Backend<NativeStorage>): number {
  const h = be.alloc('float32', 4);
  const v = dense(h, 'float32', [4]);
  const n = 200_000;
  for (let i = 0; i < 10_000; i++) be.kernels.binary('add', v, v, v);
  const t0 = now();
  for (let i = 0; i < n; i++) be.kernels.binary('add', v, v, v);
  const us = ((now() - t0) * 1000) / n;
  be.free(h);
  return us;
}

for (const threads of [1, 2]) {
  const be = createNativeBackend({ threads });
  const isa = be.capabilities.isa;
  for (const n of [128, 256, 512, 1024, 2048]) console.log(`gemm f32 ${isa} threads=${threads} N=${n}: ${gemm(be, n).toFixed(1)} GFLOP/s`);
  const s = stream(be);
  console.log(`exp f32 threads=${threads} 2^24: ${s.exp.toFixed(1)} GB/s; add: ${s.add.toFixed(1)} GB/s`);
  if (threads === 1) console.log(`per-op overhead (add on 4 floats): ${overhead(be).toFixed(2)} us`);
}
for (const isa of ['avx2', 'sse2'] as const) {
  try {
    const be = createNativeBackend({ threads: 1, isa });
    console.log(`gemm f32 ${isa} threads=1 N=512: ${gemm(be, 512).toFixed(1)} GFLOP/s`);
  } catch (e) {
    console.log(`${isa}: ${(e as Error).message}`);
  }
}
