// Prints per-call kernel costs (never asserts): node --conditions=@nabla/source --import tsx bench/kernels.bench.ts
import { contiguousStrides, type DType, type View } from '@nabla/core';
import type { JsStorage } from '../src/index';
import { createJsBackend } from '../src/index';

const js = createJsBackend();
const k = js.kernels;
const view = (dtype: DType, shape: number[]): View<JsStorage> => {
  const n = shape.reduce((a, b) => a * b, 1);
  const s = js.alloc(dtype, n);
  for (let i = 0; i < n; i++) s[i] = (i % 7) - 3;
  return { storage: s, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
};
function time(label: string, fn: () => void, unit = 1, unitName = ''): void {
  for (let i = 0; i < 50; i++) fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = performance.now() - t0;
    if (dt > 200) {
      const per = (dt * 1e3) / reps;
      const extra = unit > 1 ? `  ${(unit / per / 1e3).toFixed(2)} ${unitName}` : '';
      console.log(`${label.padEnd(44)} ${per.toFixed(3).padStart(10)} µs${extra}`);
      return;
    }
    reps *= 2;
  }
}
const a4 = view('float32', [4]);
const b4 = view('float32', [4]);
const o4 = view('float32', [4]);
time('add f32 [4]', () => k.binary('add', o4, a4, b4));
time('exp f32 [4]', () => k.unary('exp', o4, a4));
const view2 = view('float32', [2, 4]);
const view2b = view('float32', [2, 4]);
const bcast = { ...view('float32', [4]), shape: [2, 4], strides: [0, 1] };
time('add f32 [2,4] broadcast', () => k.binary('add', view2, view2b, bcast));
const N = 1 << 20;
const a = view('float32', [N]);
const b = view('float32', [N]);
const o = view('float32', [N]);
time('add f32 [1M] dense', () => k.binary('add', o, a, b), N, 'Gelem/s');
time('maximum f32 [1M] dense (table row)', () => k.binary('maximum', o, a, b), N, 'Gelem/s');
const aT = { ...a, shape: [1024, 1024], strides: [1, 1024] };
const o2 = { ...o, shape: [1024, 1024], strides: [1024, 1] };
time('add f32 [1024,1024] a transposed', () => k.binary('add', o2, aT, { ...b, shape: [1024, 1024], strides: [1024, 1] }), N, 'Gelem/s');
time('exp f32 [1M]', () => k.unary('exp', o, a), N, 'Gelem/s');
time('sum f32 [1M] -> []', () => k.reduce('sum', view('float32', [1]), { ...a, shape: [N] }, [0]), N, 'Gelem/s');
time('sum f32 [1024,1024] axis 0', () => k.reduce('sum', view('float32', [1, 1024]), o2, [0]), N, 'Gelem/s');
for (const n of [64, 256]) {
  const ma = view('float32', [1, n, n]);
  const mb = view('float32', [1, n, n]);
  const mo = view('float32', [1, n, n]);
  time(`matmul f32 ${n}^3`, () => k.matmul(mo, ma, mb), 2 * n * n * n, 'GFLOP/s');
}
{
  const x = view('float32', [32, 8, 28, 28]);
  const w = view('float32', [16, 8, 3, 3]);
  const y = view('float32', [32, 16, 26, 26]);
  const p = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } as const;
  const flops = 2 * 32 * 16 * 26 * 26 * 8 * 9;
  time('conv2d f32 x[32,8,28,28] w[16,8,3,3]', () => k.conv2d(y, x, w, p), flops, 'GFLOP/s');
  time('conv2dBackwardInput (same)', () => k.conv2dBackwardInput(x, y, w, p), flops, 'GFLOP/s');
  time('conv2dBackwardWeight (same)', () => k.conv2dBackwardWeight(w, x, y, p), flops, 'GFLOP/s');
  const lx = view('float32', [128, 784]);
  const lw = view('float32', [256, 784]);
  const lb = view('float32', [256]);
  const lo = view('float32', [128, 256]);
  time('fused linear [128,784] x [256,784]^T + relu', () => js.fused.linear(lo, lx, lw, lb, 'relu'), 2 * 128 * 784 * 256, 'GFLOP/s');
}
