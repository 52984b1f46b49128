/** createJsBackend: the reference backend object, storage accounting included. */
import { DTYPES, allocArray, type Backend, type DType, type FusedKernels, type TypedArray, type TypedArrayMap } from '@nabla/core';
import { fused } from './fused';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './kernels/conv2d';
import { cast, copy, binary, unary, where } from './kernels/elementwise';
import { gather, scatterAdd } from './kernels/gather';
import { matmul } from './kernels/matmul';
import { avgPool2d, avgPool2dBackward, maxPool2d } from './kernels/pool';
import { fillRandom } from './kernels/random';
import { argReduce, reduce } from './kernels/reduce';
import type { JsStorage } from './storage';

/** The JS backend's type: a Backend that always has every fused kernel and a memory count. */
export type JsBackend = Backend<JsStorage> & {
  readonly fused: FusedKernels<JsStorage>;
  memory(): { buffers: number; bytes: number };
};

/**
 * A new reference backend. Storage is the dtype's typed array; every kernel runs
 * on the calling thread. Each call returns an independent backend (its own memory count).
 * @example
 * import { setBackend } from '@nabla/core';
 * import { createJsBackend } from '@nabla/backend-js';
 * const js = setBackend(createJsBackend());
 * const a = js.alloc('float32', 3);
 * js.write(a, 'float32', 0, new Float32Array([1, 2, 3]));
 */
export function createJsBackend(): JsBackend {
  // Live storage: alloc adds, free subtracts. Callers free each storage once (@nabla/tensor does, for
  // collected tensors too), so no per-buffer finalizer is needed: registering one cost about 40% of a
  // tiny op. A storage never freed stays counted, as a native backend counts it. Only `free` touches the
  // WeakSet, so a repeated free (a contract violation) still subtracts nothing.
  let buffers = 0;
  let bytes = 0;
  const freed = new WeakSet<JsStorage>();

  const backend = {
    name: 'js',
    capabilities: { dtypes: DTYPES, threads: 1, isa: 'none', collectable: true },
    alloc(dtype: DType, size: number): JsStorage {
      const s = allocArray(dtype, size);
      buffers++;
      bytes += s.byteLength;
      return s;
    },
    free(storage: JsStorage): void {
      if (freed.has(storage)) return;
      freed.add(storage);
      buffers--;
      bytes -= storage.byteLength;
    },
    write(storage: JsStorage, _dtype: DType, offset: number, data: TypedArray): void {
      storage.set(data as never, offset);
    },
    read<D extends DType>(storage: JsStorage, _dtype: D, offset: number, size: number): TypedArrayMap[D] {
      return storage.slice(offset, offset + size) as TypedArrayMap[D];
    },
    kernels: {
      unary,
      binary,
      where,
      reduce,
      argReduce,
      cast,
      copy,
      matmul,
      gather,
      scatterAdd,
      fillRandom,
      conv2d,
      conv2dBackwardInput,
      conv2dBackwardWeight,
      maxPool2d,
      avgPool2d,
      avgPool2dBackward,
    },
    fused,
    memory: () => ({ buffers, bytes }),
  } satisfies Backend<JsStorage>;
  return backend;
}
