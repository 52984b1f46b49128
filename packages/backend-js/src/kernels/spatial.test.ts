import { describe, expect, it } from 'vitest';
import { contiguousStrides, type DType, type Pool2dParams, type View } from '@nabla/core';
import { createJsBackend } from '../backend';
import type { JsStorage } from '../storage';
import fx from './torch-fixtures.json';

// Goldens from PyTorch 1.13 (scripts/torch-fixtures.py), float64; null stands for NaN.
const js = createJsBackend();
const k = js.kernels;
const num = (a: readonly (number | null)[]) => a.map((v) => (v === null ? NaN : v));
function t(shape: number[], data: readonly (number | null)[] | null, dtype: DType = 'float64'): View<JsStorage> {
  const n = shape.reduce((a, b) => a * b, 1);
  const s = js.alloc(dtype, n);
  if (data) s.set(num(data));
  return { storage: s, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
}
const vals = (v: View<JsStorage>) => Array.from(v.storage);
const close = (got: number[], want: readonly (number | null)[]) => {
  expect(got.length).toBe(want.length);
  num(want).forEach((w, i) => (w !== w ? expect(got[i]).toBeNaN() : expect(got[i]).toBeCloseTo(w, 10)));
};

describe('conv2d against PyTorch (stride, padding, dilation, groups)', () => {
  const c = fx.conv;
  const p = { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 } as const;
  it('forward', () => {
    const y = t(c.yshape, null);
    k.conv2d(y, t([2, 4, 5, 6], c.x), t([6, 2, 3, 2], c.w), p);
    close(vals(y), c.y);
  });
  it('backward input', () => {
    const dx = t([2, 4, 5, 6], null);
    k.conv2dBackwardInput(dx, t(c.yshape, c.dy), t([6, 2, 3, 2], c.w), p);
    close(vals(dx), c.dx);
  });
  it('backward weight', () => {
    const dw = t([6, 2, 3, 2], null);
    k.conv2dBackwardWeight(dw, t([2, 4, 5, 6], c.x), t(c.yshape, c.dy), p);
    close(vals(dw), c.dw);
  });
  it('reads a transposed (non-contiguous) input', () => {
    const xT = t([2, 4, 6, 5], null);
    const x = t([2, 4, 5, 6], c.x);
    k.copy({ ...xT, shape: [2, 4, 5, 6], strides: [120, 30, 1, 5] }, x);
    const y = t(c.yshape, null);
    k.conv2d(y, { ...xT, shape: [2, 4, 5, 6], strides: [120, 30, 1, 5] }, t([6, 2, 3, 2], c.w), p);
    close(vals(y), c.y);
  });
});

describe('pooling against PyTorch', () => {
  const pool = (kernel: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number], countIncludePad = true): Pool2dParams => ({ kernel, stride, padding, dilation, countIncludePad });
  it('maxPool2d: -inf padding, flat indices, NaN wins', () => {
    const m = fx.maxpool;
    const y = t(m.yshape, null);
    const i = t(m.yshape, null, 'int32');
    k.maxPool2d(y, i, t([1, 2, 5, 5], m.x), pool([3, 3], [2, 2], [1, 1], [1, 1]));
    close(vals(y), m.y);
    expect(vals(i)).toEqual(m.i);
  });
  it('maxPool2d with dilation', () => {
    const m = fx.maxpoolDil;
    const y = t(m.yshape, null);
    const i = t(m.yshape, null, 'int32');
    k.maxPool2d(y, i, t([1, 2, 5, 5], num(fx.maxpool.x).map((v) => (v !== v ? 0 : v))), pool([2, 2], [1, 1], [0, 0], [2, 2]));
    close(vals(y), m.y);
    expect(vals(i)).toEqual(m.i);
  });
  for (const cip of [true, false]) {
    it(`avgPool2d and its backward, countIncludePad=${cip}`, () => {
      const a = cip ? fx.avgTrue : fx.avgFalse;
      const p = pool([3, 2], [2, 1], [1, 1], [1, 1], cip);
      const y = t(a.yshape, null);
      k.avgPool2d(y, t([1, 2, 5, 4], a.x), p);
      close(vals(y), a.y);
      const dx = t([1, 2, 5, 4], null);
      k.avgPool2dBackward(dx, t(a.yshape, a.dy), p);
      close(vals(dx), a.dx);
    });
  }
});

describe('int32 conv kernels (direct loops) agree with the float path on small integers', () => {
  const c = fx.conv;
  const p = { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 } as const;
  const ints = (a: readonly number[]) => a.map((v) => Math.round(v * 4));
  const run = (dtype: DType) => {
    const y = t(c.yshape, null, dtype);
    k.conv2d(y, t([2, 4, 5, 6], ints(c.x), dtype), t([6, 2, 3, 2], ints(c.w), dtype), p);
    const dx = t([2, 4, 5, 6], null, dtype);
    k.conv2dBackwardInput(dx, t(c.yshape, ints(c.dy), dtype), t([6, 2, 3, 2], ints(c.w), dtype), p);
    const dw = t([6, 2, 3, 2], null, dtype);
    k.conv2dBackwardWeight(dw, t([2, 4, 5, 6], ints(c.x), dtype), t(c.yshape, ints(c.dy), dtype), p);
    return [vals(y), vals(dx), vals(dw)];
  };
  it('forward and both backward kernels', () => {
    expect(run('int32')).toEqual(run('float64'));
  });
});
