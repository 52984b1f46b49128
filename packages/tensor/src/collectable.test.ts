// Which object holds a storage's buffer decides whether V8 can free it before any finalizer runs.
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@nabla/backend-js';
import { getBackend, setBackend, type Backend } from '@nabla/core';
import { emptyCache, ones } from './index';

function on<T>(b: Backend, f: () => T): T {
  const prev = getBackend();
  setBackend(b);
  try {
    return f();
  } finally {
    setBackend(prev);
  }
}

describe('storage ownership', () => {
  it('on a collectable backend only tensors hold the buffer (the finalizer record reaches the Storage)', () => {
    const x = ones([2, 3]);
    expect(x.backend.capabilities.collectable).toBe(true);
    const v = x.t();
    expect(x._store.handle).toBeNull();
    expect(v.storage).toBe(x.storage);
    expect(v.toArray()).toEqual([[1, 1], [1, 1], [1, 1]]);
    x.dispose();
    expect(v.sum().item()).toBe(6); // the view still holds the buffer
    v.dispose();
  });

  it('the last dispose hands the buffer back (pool or free) even though the Storage no longer holds it', () => {
    const be = createJsBackend();
    const freed: unknown[] = [];
    const spy: Backend = { ...be, free: (s) => { freed.push(s); be.free(s); } };
    on(spy, () => {
      const x = ones([100_000]); // 400 KB per tensor: the caching allocator keeps at most 64 MiB
      const h = x.storage;
      const v = x.reshape([1000, 100]);
      x.dispose();
      expect(freed).toEqual([]);
      v.dispose();
      emptyCache(); // pooled or freed at once: either way the backend gets this very buffer back now
      expect(freed).toContain(h);
    });
  });

  it('a non-collectable backend keeps the buffer in the Storage (only the finalizer or dispose returns it)', () => {
    const be = createJsBackend();
    const plain: Backend = { ...be, capabilities: { ...be.capabilities, collectable: false } };
    on(plain, () => {
      const x = ones([4]);
      expect(x._store.handle).toBe(x.storage);
      x.dispose();
      expect(x._store.handle).toBeNull();
    });
  });
});
