/** Storage of the JS backend: the typed array of the dtype (Float32Array, Float64Array, Int32Array, Uint8Array for bool). */
import type { TypedArray } from '@nabla/core';

export type JsStorage = TypedArray;
