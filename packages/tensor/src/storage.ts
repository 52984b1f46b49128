/**
 * Refcounted storage shared by a tensor and its views, and the live-memory
 * accounting behind `memory()`. A backend handle is released exactly once: when
 * the last tensor referencing it is disposed or collected (FinalizationRegistry);
 * it then goes to the caching allocator (pool.ts) or back to the backend.
 *
 * On a collectable backend (storage owned by the JS heap) only the tensors hold the handle: the
 * finalizer's record reaches this accounting object, never the buffer, so the collector frees the
 * memory of unreachable tensors itself, even in a loop that never yields to the event loop (when
 * finalizers run). On other backends (wasm linear memory) the storage keeps the handle and
 * only the finalizer (or dispose) gives it back: a loop that never yields reclaims it when it next awaits.
 */
import { bytesPerElement, type Backend, type DType } from '@nabla/core';
import { poolBytes, recycle, reuse } from './pool';
import type { Tensor } from './tensor';

export class Storage {
  readonly backend: Backend;
  /**
   * The backend's handle; null once freed so the (possibly large) buffer is not kept reachable. On a
   * collectable backend also null once the first tensor holds it (see Tensor's constructor).
   */
  handle: unknown;
  /** The backend's storage is reclaimed by the JS collector (Capabilities.collectable). */
  readonly collectable: boolean;
  readonly dtype: DType;
  readonly size: number;
  readonly bytes: number;
  /** Live (not disposed, not collected) tensors viewing this storage. */
  refs = 0;
  /** Bumped by every in-place write; autograd compares it with the version saved at record time. */
  version = 0;
  freed = false;

  constructor(backend: Backend, dtype: DType, size: number, handle?: unknown) {
    this.backend = backend;
    this.dtype = dtype;
    this.size = size;
    this.bytes = size * bytesPerElement(dtype);
    this.collectable = backend.capabilities.collectable === true;
    this.handle = handle ?? backend.alloc(dtype, size);
    stats.bytes += this.bytes;
    if (!backendsSeen.has(backend)) backendsSeen.add(backend);
  }

  /**
   * Drops one tensor's reference. `handle` is that tensor's handle (null from the finalizer): when the
   * last reference goes with no handle reachable, a collectable backend's memory is already the
   * collector's, so only the accounting changes.
   */
  release(handle: unknown): void {
    if (--this.refs > 0 || this.freed) return;
    this.freed = true;
    stats.bytes -= this.bytes;
    const h = handle ?? this.handle;
    this.handle = null;
    if (h === null || h === undefined) return;
    if (!recycle(this.backend, this.dtype, this.size, this.bytes, h)) this.backend.free(h);
  }
}

/** Storage for an output that a kernel overwrites entirely: a released one of this size when the pool has it. */
export function outputStorage(backend: Backend, dtype: DType, size: number): Storage {
  return new Storage(backend, dtype, size, reuse(backend, dtype, size, size * bytesPerElement(dtype)));
}

/** Counters for live tensors and storage bytes (pinned internal constants excluded), and tensors ever created. */
export const stats = { tensors: 0, bytes: 0, created: 0 };

/** How many tensors were created so far: a tensor whose `serial` is at least this value is newer. */
export function tensorsCreated(): number {
  return stats.created;
}
const backendsSeen = new Set<Backend>();

/**
 * Per-tensor record held by the finalizer. Registering without an unregister token is about 5x
 * cheaper in V8 (no ephemeron table), so dispose() marks the cell done instead of unregistering.
 */
export interface LifeCell {
  /** Cleared on dispose: the registry holds the cell strongly, and a disposed tensor must not keep storage alive. */
  s: Storage | null;
}

/** A tensor collected without dispose() gives back its storage reference here. */
const finalizer = new FinalizationRegistry<LifeCell>((cell) => {
  const s = cell.s;
  if (s === null) return;
  cell.s = null;
  stats.tensors--;
  s.release(null);
});

/**
 * Tensors not yet registered with the finalizer. Registration is the dearest part of making a tensor
 * (the collector then tracks a weak cell for it: about 60% of the framework's time in a training step),
 * and most tensors of a step are disposed within a few ops: those are never registered. The nursery
 * holds its tensors strongly, so none can be collected unregistered; it is flushed every NURSERY_SIZE
 * tensors and at the end of the current task (a microtask), so it delays no collection for long.
 */
const nursery: Tensor[] = [];
const NURSERY_SIZE = 512;
let flushQueued = false;

/** Called by the Tensor constructor. */
export function track(t: Tensor): void {
  nursery.push(t);
  if (nursery.length >= NURSERY_SIZE) flushNursery();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushNursery);
  }
}

function flushNursery(): void {
  flushQueued = false;
  for (const t of nursery) {
    if (t.disposed || t.pinned) continue;
    const cell: LifeCell = { s: t._store };
    t._cell = cell;
    finalizer.register(t, cell);
  }
  nursery.length = 0;
}

export interface MemoryInfo {
  /** Live tensors (views count one each). */
  tensors: number;
  /** Bytes of live storage allocated through tensors. */
  bytes: number;
  /** Bytes of released storage kept for reuse by the caching allocator (see `emptyCache`). */
  cached: number;
  /** What each backend reports about its own buffers (when it implements `memory()`); includes `cached`. */
  backends: Record<string, { buffers: number; bytes: number }>;
}

/**
 * Live tensors and bytes, overall and per backend.
 * @example
 * const before = memory().tensors;
 * zeros([2, 2]).dispose();
 * memory().tensors === before; // true
 */
export function memory(): MemoryInfo {
  const backends: MemoryInfo['backends'] = {};
  for (const b of backendsSeen) {
    const m = b.memory?.();
    if (m) backends[b.name] = { buffers: m.buffers, bytes: m.bytes };
  }
  return { tensors: stats.tensors, bytes: stats.bytes, cached: poolBytes(), backends };
}
