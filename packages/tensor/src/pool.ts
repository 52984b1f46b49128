/**
 * A caching allocator: storage released by tensors is kept per backend, dtype and size and handed to
 * the next output of that size that a kernel overwrites in full. A training loop allocates the same
 * shapes every step, and a native alloc + free (zero-fill, external-memory report) costs more than a
 * small kernel. Only `reuse()` callers get pooled storage; zero-filled allocations always come fresh.
 */
import type { Backend, DType } from '@nabla/core';

/** Bytes the pool may hold in all; a release beyond it frees at once. */
const MAX_BYTES = 64 * 2 ** 20;
/** Handles kept per (dtype, size): about as many as one step has live at once. */
const MAX_PER_SIZE = 8;
const DTYPE_INDEX: Record<DType, number> = { float32: 0, float64: 1, int32: 2, bool: 3 };

const pools = new Map<Backend, Map<number, unknown[]>>();
let cachedBytes = 0;

const keyOf = (dtype: DType, size: number): number => size * 4 + DTYPE_INDEX[dtype];

/** A pooled handle of exactly this dtype and size, or undefined; its contents are stale. */
export function reuse(backend: Backend, dtype: DType, size: number, bytes: number): unknown {
  const list = pools.get(backend)?.get(keyOf(dtype, size));
  if (list === undefined || list.length === 0) return undefined;
  cachedBytes -= bytes;
  return list.pop();
}

/** Keeps a released handle for reuse; false when the pool is full (the caller frees it). */
export function recycle(backend: Backend, dtype: DType, size: number, bytes: number, handle: unknown): boolean {
  if (size === 0 || cachedBytes + bytes > MAX_BYTES) return false;
  let byKey = pools.get(backend);
  if (byKey === undefined) pools.set(backend, (byKey = new Map()));
  const key = keyOf(dtype, size);
  let list = byKey.get(key);
  if (list === undefined) byKey.set(key, (list = []));
  if (list.length >= MAX_PER_SIZE) return false;
  list.push(handle);
  cachedBytes += bytes;
  return true;
}

/** Bytes held by the pool (released, not yet freed). */
export function poolBytes(): number {
  return cachedBytes;
}

/**
 * Frees every storage the caching allocator holds (torch.cuda.empty_cache's counterpart): the
 * backends' own memory counts then show only live tensors.
 * @example
 * emptyCache();
 * memory().cached; // 0
 */
export function emptyCache(): void {
  for (const [backend, byKey] of pools) for (const list of byKey.values()) for (const h of list) backend.free(h);
  pools.clear();
  cachedBytes = 0;
}
