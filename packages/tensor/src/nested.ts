/** Nested JS arrays <-> flat row-major data, with torch's dtype inference and a clear error for ragged input. */
import { NablaError, type DType, type TypedArray } from '@nabla/core';

export type Scalar = number | boolean;
export type NestedArray = Scalar | readonly NestedArray[];

export interface Parsed {
  shape: number[];
  flat: Scalar[];
  /** torch.tensor's inference: all booleans -> bool, all integral int32-range numbers -> int32, else float32. */
  dtype: DType;
}

export function parseNested(op: string, data: NestedArray): Parsed {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  const flat: Scalar[] = [];
  let allBool = true;
  let allInt = true;
  const walk = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x === 'boolean') {
        flat.push(x);
        return;
      }
      if (typeof x !== 'number') {
        const what = Array.isArray(x) ? `an array at depth ${depth}` : typeof x;
        throw new NablaError(op, `ragged nested array or bad element: expected a number or boolean at depth ${depth}, got ${what}`);
      }
      allBool = false;
      if (allInt && (!Number.isInteger(x) || x > 2147483647 || x < -2147483648)) allInt = false;
      flat.push(x);
      return;
    }
    if (!Array.isArray(x)) throw new NablaError(op, `ragged nested array: expected an array of length ${shape[depth]} at depth ${depth}, got ${typeof x}`);
    if (x.length !== shape[depth]) throw new NablaError(op, `ragged nested array: expected length ${shape[depth]} at depth ${depth}, got ${x.length}`);
    for (let i = 0; i < x.length; i++) walk(x[i], depth + 1);
  };
  walk(data, 0);
  // An empty list carries no values: torch gives float32.
  const dtype: DType = flat.length === 0 ? 'float32' : allBool ? 'bool' : allInt ? 'int32' : 'float32';
  return { shape, flat, dtype };
}

/** Rebuilds nested arrays (number for rank 0; booleans for bool) from flat row-major data. */
export function toNested(data: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const asBool = dtype === 'bool';
  if (shape.length === 0) return asBool ? data[0] !== 0 : data[0];
  let pos = 0;
  const build = (depth: number): NestedArray[] => {
    const n = shape[depth];
    const out = new Array<NestedArray>(n);
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = asBool ? data[pos++] !== 0 : data[pos++];
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}
