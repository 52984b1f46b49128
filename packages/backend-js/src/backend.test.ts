import { describe, expect, it } from 'vitest';
import { contiguousStrides, type DType, type View } from '@nabla/core';
import { createJsBackend } from './backend';
import type { JsStorage } from './storage';

const js = createJsBackend();
const k = js.kernels;

/** A contiguous view holding `data`. */
function t(dtype: DType, shape: number[], data: number[]): View<JsStorage> {
  const s = js.alloc(dtype, data.length);
  s.set(data);
  return { storage: s, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
}
const empty = (dtype: DType, shape: number[]) => t(dtype, shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0));
const view = (v: View<JsStorage>, shape: number[], strides: number[], offset = 0): View<JsStorage> => ({ ...v, shape, strides, offset });
const vals = (v: View<JsStorage>) => Array.from(v.storage);

describe('elementwise', () => {
  it('unary rows per dtype', () => {
    const out = empty('float32', [4]);
    k.unary('round', out, t('float32', [4], [0.5, 1.5, 2.5, -2.5]));
    expect(vals(out)).toEqual([0, 2, 2, -2]);
    const io = empty('int32', [2]);
    k.unary('neg', io, t('int32', [2], [-2147483648, 5]));
    expect(vals(io)).toEqual([-2147483648, -5]);
  });

  it('binary broadcasts through stride 0 and reads transposed views', () => {
    const a = t('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const row = view(t('float32', [3], [10, 20, 30]), [2, 3], [0, 1]);
    const out = empty('float32', [2, 3]);
    k.binary('add', out, a, row);
    expect(vals(out)).toEqual([11, 22, 33, 14, 25, 36]);
    const aT = view(a, [3, 2], [1, 3]);
    const out2 = empty('float32', [3, 2]);
    k.binary('mul', out2, aT, view(t('float32', [1], [2]), [3, 2], [0, 0]));
    expect(vals(out2)).toEqual([2, 8, 4, 10, 6, 12]);
  });

  it('comparisons write bool, int32 wraps, mod follows the divisor', () => {
    const out = empty('bool', [3]);
    k.binary('lt', out, t('float64', [3], [1, NaN, 3]), t('float64', [3], [2, 2, 2]));
    expect(vals(out)).toEqual([1, 0, 0]);
    const io = empty('int32', [3]);
    k.binary('add', io, t('int32', [3], [2147483647, -7, 7]), t('int32', [3], [1, 0, 0]));
    expect(vals(io)).toEqual([-2147483648, -7, 7]);
    k.binary('mod', io, t('int32', [3], [-7, 7, 5]), t('int32', [3], [3, -3, 0]));
    expect(vals(io)).toEqual([2, -2, 0]);
  });

  it('where, cast, copy through strides', () => {
    const out = empty('float32', [3]);
    k.where(out, t('bool', [3], [1, 0, 1]), t('float32', [3], [1, 2, 3]), t('float32', [3], [7, 8, 9]));
    expect(vals(out)).toEqual([1, 8, 3]);
    const io = empty('int32', [5]);
    k.cast(io, t('float64', [5], [2.9, -2.9, NaN, 1e10, -1e10]));
    expect(vals(io)).toEqual([2, -2, 0, 2147483647, -2147483648]);
    const src = t('int32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const dst = empty('int32', [12]);
    k.copy(view(dst, [3, 2], [4, 1], 1), view(src, [3, 2], [1, 3]));
    expect(vals(dst)).toEqual([0, 1, 4, 0, 0, 2, 5, 0, 0, 3, 6, 0]);
  });
});

describe('reductions', () => {
  it('sum over axes, max propagates NaN, argmax picks the first NaN', () => {
    const x = t('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const out = empty('float32', [1, 3]);
    k.reduce('sum', out, x, [0]);
    expect(vals(out)).toEqual([5, 7, 9]);
    const all = empty('float32', [1, 1]);
    k.reduce('prod', all, x, [0, 1]);
    expect(vals(all)).toEqual([720]);
    const m = empty('float64', [1]);
    k.reduce('max', m, t('float64', [3], [1, NaN, 3]), [0]);
    expect(vals(m)).toEqual([NaN]);
    const idx = empty('int32', [2, 1]);
    k.argReduce('argmax', idx, t('float32', [2, 4], [1, NaN, 5, NaN, 3, 9, 9, 2]), 1);
    expect(vals(idx)).toEqual([1, 1]);
  });
});

describe('matmul', () => {
  it('batched with a transposed, batch-broadcast b', () => {
    const a = t('float64', [2, 2, 3], [1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0]);
    const bT = t('float64', [2, 3], [1, 2, 3, 4, 5, 6]); // b = bT^T: [3,2]
    const out = empty('float64', [2, 2, 2]);
    k.matmul(out, a, view(bT, [2, 3, 2], [0, 1, 3]));
    expect(vals(out)).toEqual([14, 32, 32, 77, 1, 4, 2, 5]);
  });

  it('int32 accumulates with wrap-around', () => {
    const out = empty('int32', [1, 1, 1]);
    k.matmul(out, t('int32', [1, 1, 2], [65536, 1]), t('int32', [1, 2, 1], [32768, 0]));
    expect(vals(out)).toEqual([-2147483648]);
  });
});

describe('gather / scatterAdd / fillRandom', () => {
  it('gather picks along dim and rejects bad indices', () => {
    const x = t('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const out = empty('float32', [2, 2]);
    k.gather(out, x, 1, t('int32', [2, 2], [2, 0, 1, 1]));
    expect(vals(out)).toEqual([3, 1, 5, 5]);
    expect(() => k.gather(out, x, 1, t('int32', [2, 2], [0, 7, 0, 0]))).toThrow('[gather] index 7 out of range for dim 1 of size 3');
  });

  it('scatterAdd accumulates repeated indices', () => {
    const out = t('float32', [3], [0, 0, 0]);
    k.scatterAdd(out, 0, t('int32', [4], [0, 2, 0, 2]), t('float32', [4], [1, 2, 3, 4]));
    expect(vals(out)).toEqual([4, 0, 6]);
  });

  it('fillRandom is the counter-based stream', () => {
    const a = empty('float64', [6]);
    k.fillRandom(a, 'uniform', 7, 0);
    const b = empty('float64', [3]);
    k.fillRandom(b, 'uniform', 7, 3);
    expect(vals(a).slice(3)).toEqual(vals(b));
    expect(Math.min(...vals(a))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...vals(a))).toBeLessThan(1);
  });
});

describe('memory', () => {
  it('counts alloc and free once', () => {
    const be = createJsBackend();
    const s = be.alloc('float64', 10);
    be.alloc('int32', 3);
    expect(be.memory?.()).toEqual({ buffers: 2, bytes: 92 });
    be.free(s);
    be.free(s);
    expect(be.memory?.()).toEqual({ buffers: 1, bytes: 12 });
  });
});

describe('README example', () => {
  it('sums a transposed view without copying', () => {
    const be = createJsBackend();
    const a = be.alloc('float32', 6);
    be.write(a, 'float32', 0, new Float32Array([1, 2, 3, 4, 5, 6]));
    const out = be.alloc('float32', 3);
    be.kernels.reduce(
      'sum',
      { storage: out, dtype: 'float32', shape: [1, 3], strides: [3, 1], offset: 0 },
      { storage: a, dtype: 'float32', shape: [2, 3], strides: [1, 2], offset: 0 },
      [0],
    );
    expect(Array.from(be.read(out, 'float32', 0, 3))).toEqual([3, 7, 11]);
  });
});
