/**
 * The plumbing every op shares: picking the backend, allocating outputs,
 * checking liveness and backends, broadcasting views and cached scalar constants.
 * Kept allocation-light because a tiny op should cost about a microsecond.
 */
import { getBackend, peekBackend, NablaError, bytesPerElement, contiguousStrides, type Backend, type DType, type View } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import { Storage, outputStorage, stats } from './storage';
import { reuse } from './pool';
import { Tensor } from './tensor';

/** The current backend; the reference JS backend when none was set, so a tensor-only install needs no setup. */
export function defaultBackend(): Backend {
  return peekBackend() ?? getBackend(createJsBackend);
}

/**
 * A fresh contiguous zero-filled tensor of `shape`. Released storage of that size (pool.ts) is zeroed
 * by one copy kernel: cheaper than a fresh allocation, above all for buffers large enough that the
 * system maps (and page-faults) new memory for each; else the backend allocates zero-filled storage.
 */
export function empty(backend: Backend, dtype: DType, shape: readonly number[]): Tensor {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  const pooled = reuse(backend, dtype, n, n * bytesPerElement(dtype));
  const t = new Tensor(new Storage(backend, dtype, n, pooled), shape, contiguousStrides(shape), 0);
  if (pooled !== undefined) backend.kernels.copy(t, broadcastView(constant(backend, dtype, 0), shape));
  return t;
}

/**
 * A fresh contiguous tensor of `shape` with unspecified values, for an output the kernel writes in
 * full: it may reuse released storage (pool.ts) instead of allocating.
 */
export function output(backend: Backend, dtype: DType, shape: readonly number[]): Tensor {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return new Tensor(outputStorage(backend, dtype, n), shape, contiguousStrides(shape), 0);
}

/** Throws `[op] tensor was disposed` for a dead tensor. */
export function alive(op: string, t: Tensor): void {
  if (t.disposed) throw new NablaError(op, 'tensor was disposed');
}

/** The common backend of an op's operands; mixed backends are an error naming both. */
export function backendOf(op: string, a: Tensor, b?: Tensor, c?: Tensor): Backend {
  if (a.disposed || (b !== undefined && b.disposed) || (c !== undefined && c.disposed)) throw new NablaError(op, 'tensor was disposed');
  const be = a.backend;
  if (b !== undefined && b.backend !== be) mixed(op, be, b.backend);
  if (c !== undefined && c.backend !== be) mixed(op, be, c.backend);
  return be;
}

function mixed(op: string, a: Backend, b: Backend): never {
  const same = a.name === b.name ? ' (two instances with the same name)' : '';
  throw new NablaError(op, `tensors are on different backends: ${a.name} and ${b.name}${same}; move one with .toBackend()`);
}

/** `t` seen with `shape` (which it broadcasts to): stride 0 on new and size-1 dims, no copy. */
export function broadcastView(t: Tensor, shape: readonly number[]): View {
  const ts = t.shape;
  if (ts.length === shape.length) {
    let same = true;
    for (let i = 0; i < ts.length; i++) if (ts[i] !== shape[i]) { same = false; break; }
    if (same) return t;
  }
  const n = shape.length;
  const strides = new Array<number>(n);
  const lead = n - ts.length;
  for (let i = 0; i < n; i++) {
    const j = i - lead;
    strides[i] = j < 0 || (ts[j] === 1 && shape[i] !== 1) ? 0 : t.strides[j];
  }
  return { storage: t.storage, dtype: t.dtype, shape, strides, offset: t.offset };
}

// Small rank-0 constants are cached per backend and dtype: `x.mul(2)` then costs no allocation.
// They are pinned (dispose is a no-op, not counted by memory()) because they are shared.
const constCache = new WeakMap<Backend, Record<DType, Map<number, Tensor>>>();
const CONST_CACHE_MAX = 512;

export function constant(backend: Backend, dtype: DType, value: number): Tensor {
  let byType = constCache.get(backend);
  if (!byType) constCache.set(backend, (byType = { float32: new Map(), float64: new Map(), int32: new Map(), bool: new Map() }));
  const m = byType[dtype];
  let t = m.get(value);
  // Map keys treat -0 as 0, so -0 is never served from (or put into) the cache.
  if (t === undefined || Object.is(value, -0)) {
    t = new Tensor(new Storage(backend, dtype, 1), [], [], 0); // not empty(): that zero-fills with a constant
    const arr = dtype === 'float32' ? new Float32Array(1) : dtype === 'float64' ? new Float64Array(1) : dtype === 'int32' ? new Int32Array(1) : new Uint8Array(1);
    arr[0] = value;
    backend.write(t.storage, dtype, 0, arr);
    if (m.size < CONST_CACHE_MAX && !Object.is(value, -0)) {
      pin(t);
      m.set(value, t);
    }
  }
  return t;
}

/** Excludes an internal tensor from user-visible accounting and makes dispose() a no-op on it. */
export function pin(t: Tensor): void {
  t.pinned = true;
  if (t._cell !== null) t._cell.s = null;
  stats.tensors--;
  stats.bytes -= t._store.bytes;
  t._store.refs++; // never released through a view's dispose either
}
