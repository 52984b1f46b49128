/**
 * Kernel calls cross into C through one preallocated Float64Array: each call writes its operands
 * (views as handle, dtype, rank, offset, shape, strides; then scalars) and passes only the kernel code.
 * Layouts per kernel are read back by csrc/addon/dispatch.c in the same order.
 */
import { NablaError, type DType, type View } from '@nabla/core';

export const DTYPE_CODE = { float32: 0, float64: 1, int32: 2, bool: 3 } as const satisfies Record<DType, number>;

const MAX_RANK = 16;

export class Descriptor {
  readonly buf = new Float64Array(2048);
  pos = 0;

  reset(): this {
    this.pos = 0;
    return this;
  }

  num(x: number): this {
    this.buf[this.pos++] = x;
    return this;
  }

  view(op: string, v: View<number>): this {
    const n = v.shape.length;
    if (n > MAX_RANK) throw new NablaError(op, `rank ${n} exceeds the native backend's limit of ${MAX_RANK}`);
    if (v.strides.length !== n) throw new NablaError(op, `strides [${v.strides.join(',')}] do not match shape [${v.shape.join(',')}]`);
    const b = this.buf;
    let p = this.pos;
    b[p++] = v.storage;
    b[p++] = DTYPE_CODE[v.dtype] ?? -1;
    b[p++] = n;
    b[p++] = v.offset;
    for (let i = 0; i < n; i++) b[p++] = v.shape[i];
    for (let i = 0; i < n; i++) b[p++] = v.strides[i];
    this.pos = p;
    return this;
  }
}
