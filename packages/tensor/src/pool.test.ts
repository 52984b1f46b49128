import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@nabla/backend-js';
import { emptyCache, emptyOn, fromHost, memory, type Tensor } from './index';

/** A fresh js backend (its own buffer count) and a helper making float32 tensors on it. */
function setup() {
  const be = createJsBackend();
  const t = (data: number[], shape = [data.length]): Tensor => fromHost(be, 'float32', shape, new Float32Array(data));
  return { be, t };
}

describe('caching allocator', () => {
  it('hands a released storage to the next output of that size', () => {
    emptyCache();
    const { be, t } = setup();
    const a = t([1, 2, 3]);
    const y = a.exp();
    const handle = y.storage;
    y.dispose();
    expect(memory().cached).toBe(12);
    const z = a.neg();
    expect(z.storage).toBe(handle); // reused, not allocated
    expect(z.toArray()).toEqual([-1, -2, -3]); // fully overwritten
    expect(be.memory().buffers).toBe(2);
    expect(memory().cached).toBe(0);
  });

  it('zeroes pooled storage for zero-filled tensors and leaves no stale values in outputs', () => {
    emptyCache();
    const { be, t } = setup();
    const x = t([5, 6, 7, 8], [2, 2]);
    const dirty = x.mul(3);
    const handle = dirty.storage;
    dirty.dispose();
    const z = fromHost(be, 'float32', [2, 2], []);
    expect(z.storage).toBe(handle);
    expect(z.toArray()).toEqual([[0, 0], [0, 0]]);
    z.dispose();
    expect(fromHost(be, 'int32', [2, 2], [1, 2, 3, 4]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(fromHost(be, 'float32', [2, 2], [1, 2, 3, 4]).storage).toBe(handle);
    x.mul(3).dispose();
    expect(x.sum(0).toArray()).toEqual([12, 14]);
    x.mul(3).dispose();
    expect(x.t().contiguous().toArray()).toEqual([[5, 7], [6, 8]]);
    x.mul(3).dispose();
    expect(x.matmul(x).toArray()).toEqual([[67, 78], [91, 106]]);
    // a reduction over an empty dim and a matmul with K = 0 write zeros on fresh storage
    t([1, 1, 1]).mul(2).dispose();
    expect(t([], [3, 0]).sum(1).toArray()).toEqual([0, 0, 0]);
    t([1, 1, 1, 1]).mul(2).dispose();
    expect(t([], [2, 0]).matmul(t([], [0, 2])).toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('emptyCache frees what it holds', () => {
    const { be, t } = setup();
    const a = t([1, 2]);
    a.exp().dispose();
    a.neg().dispose(); // the same storage again: one pooled buffer
    expect(be.memory().buffers).toBe(2);
    emptyCache();
    expect(memory().cached).toBe(0);
    expect(be.memory().buffers).toBe(1);
  });
});

describe('emptyOn', () => {
  it('makes a contiguous tensor on the given backend, reusing released storage', () => {
    emptyCache();
    const { be, t } = setup();
    const a = t([1, 2, 3, 4], [2, 2]);
    const y = a.exp();
    const handle = y.storage;
    y.dispose();
    const e = emptyOn(be, 'float32', [4]);
    expect([e.backend, e.dtype, e.shape, e.strides, e.storage]).toEqual([be, 'float32', [4], [1], handle]);
    expect(() => emptyOn(be, 'float32', [-1])).toThrow('[emptyOn] shape must hold non-negative integers');
  });
});
