/** The storage handle of the wasm backend: a block of its linear memory. */
import type { DType } from '@nabla/core';

export class WasmStorage {
  // A private brand: a look-alike object cannot pass `WasmStorage.is` and point a kernel at foreign memory.
  readonly #brand = true;
  freed = false;
  constructor(
    /** The backend instance whose memory holds the block. */
    readonly owner: object,
    /** Byte address in wasm memory (64-byte aligned). */
    readonly ptr: number,
    readonly dtype: DType,
    /** Elements. */
    readonly size: number,
    /** Bytes requested (size × element size). */
    readonly bytes: number,
  ) {}

  static is(x: unknown): x is WasmStorage {
    return typeof x === 'object' && x !== null && #brand in x;
  }
}
