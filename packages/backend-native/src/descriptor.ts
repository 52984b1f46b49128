/**
 * Kernel calls cross into C through one preallocated Float64Array: each call writes its operands
 * (views as slot, storage dtype, storage size, dtype, rank, offset, shape, strides; then scalars) and
 * collects the views' storage buffers, which `run` passes as arguments (a view names its buffer by slot).
 * Layouts per kernel are read back by csrc/addon/dispatch.c in the same order.
 */
import { NablaError, type DType, type View } from '@nabla/core';

export const DTYPE_CODE = { float32: 0, float64: 1, int32: 2, bool: 3 } as const satisfies Record<DType, number>;

/**
 * A native storage: a JS ArrayBuffer 64 bytes longer than its data (C addresses the data from the first
 * 64-byte boundary inside). V8 owns the memory, so an unreachable storage is freed by the collector;
 * free() detaches the buffer, after which every use is refused.
 */
export class NativeStorage {
  constructor(
    readonly buf: ArrayBuffer,
    /** DTYPE_CODE of the elements. */
    readonly dtype: number,
    /** Element count. */
    readonly size: number,
  ) {}
}

const MAX_RANK = 16;
/** Most storage operands of one kernel (NB_MAXBUF in csrc/addon/storage.h). */
export const MAX_BUFFERS = 5;

export class Descriptor {
  readonly buf = new Float64Array(2048);
  pos = 0;
  /** Buffers of this call's views, by slot; `undefined` past `count`. */
  readonly bufs: (ArrayBuffer | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  count = 0;

  reset(): this {
    this.pos = 0;
    this.count = 0;
    return this;
  }

  /** Drops the call's buffer references, so the descriptor keeps no storage alive between calls. */
  clear(): void {
    const b = this.bufs;
    for (let i = 0; i < this.count; i++) b[i] = undefined;
    this.count = 0;
  }

  num(x: number): this {
    this.buf[this.pos++] = x;
    return this;
  }

  view(op: string, v: View<NativeStorage>): this {
    const n = v.shape.length;
    if (n > MAX_RANK) throw new NablaError(op, `rank ${n} exceeds the native backend's limit of ${MAX_RANK}`);
    if (v.strides.length !== n) throw new NablaError(op, `strides [${v.strides.join(',')}] do not match shape [${v.shape.join(',')}]`);
    const b = this.buf;
    const s = v.storage;
    let p = this.pos;
    if (s instanceof NativeStorage) {
      // C reads slot -1 as "not a storage handle" and refuses the call before touching memory
      const bufs = this.bufs;
      let slot = 0;
      while (slot < this.count && bufs[slot] !== s.buf) slot++;
      if (slot === this.count) bufs[this.count++] = s.buf;
      b[p++] = slot;
      b[p++] = s.dtype;
      b[p++] = s.size;
    } else {
      b[p++] = -1;
      b[p++] = 0;
      b[p++] = 0;
    }
    b[p++] = DTYPE_CODE[v.dtype] ?? -1;
    b[p++] = n;
    b[p++] = v.offset;
    for (let i = 0; i < n; i++) b[p++] = v.shape[i];
    for (let i = 0; i < n; i++) b[p++] = v.strides[i];
    this.pos = p;
    return this;
  }
}
