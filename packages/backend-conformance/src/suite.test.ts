import { describe, expect, it } from 'vitest';
import { contiguousStrides, type Backend, type Kernels, type View } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import { ALL_CASES, runCase } from './suite';

// The suite must catch real bugs: each mutant is backend-js with one plausible mistake,
// and the matching case has to report a mismatch in at least one trial.
const ref = createJsBackend();

function mutant(patch: (k: Kernels<any>) => Partial<Kernels<any>>): Backend {
  const be = createJsBackend();
  return { ...be, kernels: { ...be.kernels, ...patch(be.kernels) } };
}
const dense = (v: View): View => ({ ...v, strides: contiguousStrides(v.shape) });

function failures(be: Backend, caseName: string): number {
  const c = ALL_CASES.find((x) => x.name === caseName);
  if (!c) throw new Error(`no case ${caseName}`);
  let n = 0;
  for (let t = 0; t < c.trials; t++) n += runCase(ref, be, c, t).length;
  return n;
}

describe('the suite catches broken backends', () => {
  it('a unary kernel that ignores input strides', () => {
    expect(failures(mutant((k) => ({ unary: (op, out, x) => k.unary(op, out, dense(x)) })), 'unary neg float32')).toBeGreaterThan(0);
  });
  it('exp with a 1e-5 relative error in float32', () => {
    const be = mutant((k) => ({
      unary: (op, out, x) => {
        k.unary(op, out, x);
        if (op === 'exp') for (let i = 0; i < out.storage.length; i++) out.storage[i] *= 1 + 1e-5;
      },
    }));
    expect(failures(be, 'unary exp float32')).toBeGreaterThan(0);
  });
  it('maximum that drops NaN', () => {
    const be = mutant((k) => ({
      binary: (op, out, a, b) => {
        k.binary(op, out, a, b);
        if (op === 'maximum') for (let i = 0; i < out.storage.length; i++) if (Number.isNaN(out.storage[i])) out.storage[i] = 0;
      },
    }));
    expect(failures(be, 'binary maximum float64')).toBeGreaterThan(0);
  });
  it('int32 add that saturates instead of wrapping', () => {
    const be = mutant((k) => ({
      binary: (op, out, a, b) => {
        if (op !== 'add' || a.dtype !== 'int32') return k.binary(op, out, a, b);
        const tmp = { ...out, dtype: 'float64' as const, storage: new Float64Array(out.storage.length), strides: out.strides };
        k.binary(op, tmp, { ...a, dtype: 'float64', storage: Float64Array.from(a.storage) }, { ...b, dtype: 'float64', storage: Float64Array.from(b.storage) });
        k.cast(out, tmp);
      },
    }));
    expect(failures(be, 'binary add int32')).toBeGreaterThan(0);
  });
  it('a reduction that reads its input as contiguous', () => {
    expect(failures(mutant((k) => ({ reduce: (op, out, x, axes) => k.reduce(op, out, dense(x), axes) })), 'reduce sum float32')).toBeGreaterThan(0);
  });
  it('argmax that lets the last of equal values win', () => {
    const be = mutant(() => ({
      argReduce: (op, out, x, axis) => {
        // Mirror the input along the axis, take js's answer, and map it back: last-wins ties.
        const n = x.shape[axis];
        const flipped = { ...x, offset: x.offset + (n - 1) * x.strides[axis], strides: x.strides.map((s, d) => (d === axis ? -s : s)) };
        ref.kernels.argReduce(op, out, flipped, axis);
        for (let i = 0; i < out.storage.length; i++) out.storage[i] = n - 1 - out.storage[i];
      },
    }));
    expect(failures(be, 'argReduce argmax int32')).toBeGreaterThan(0);
  });
  it('matmul writing one element past its output', () => {
    const be = mutant((k) => ({
      matmul: (out, a, b) => {
        k.matmul(out, a, b);
        const end = out.offset + out.shape.reduce((p, q) => p * q, 1);
        if (end < out.storage.length) out.storage[end] = 1;
      },
    }));
    expect(failures(be, 'matmul float32')).toBeGreaterThan(0);
  });
  it('a copy that ignores output strides', () => {
    expect(failures(mutant((k) => ({ copy: (out, x) => k.copy(dense(out), x) })), 'copy float32 (strided out)')).toBeGreaterThan(0);
  });
  it('maxPool2d reporting indices relative to the window', () => {
    const be = mutant((k) => ({
      maxPool2d: (out, idx, x, p) => {
        k.maxPool2d(out, idx, x, p);
        for (let i = 0; i < idx.storage.length; i++) idx.storage[i] = idx.storage[i] % 3;
      },
    }));
    expect(failures(be, 'maxPool2d float32')).toBeGreaterThan(0);
  });
  it('conv2d ignoring dilation', () => {
    const be = mutant((k) => ({ conv2d: (out, x, w, p) => k.conv2d(out, x, w, { ...p, dilation: [1, 1] }) }));
    expect(failures(be, 'conv2d float64')).toBeGreaterThan(0);
  });
});
