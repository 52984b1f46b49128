/** Shape and stride arithmetic shared by every package and backend. */
import { NablaError, fmtShape } from './errors';

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. Size-1 dims get the stride they would have anyway. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when a view walks its storage in row-major order without gaps (size-1 dims are ignored). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy/PyTorch broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new NablaError(op, `shapes cannot be broadcast together: a=${fmtShape(a)} b=${fmtShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative dim against a rank; rank-0 tensors accept dims -1 and 0, like PyTorch. */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new NablaError(op, `dim ${dim} out of range for a tensor of rank ${ndim} (expected ${-n}..${n - 1})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalises a dim or list of dims (undefined = all dims), sorted and without repeats. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new NablaError(op, `dim ${d} appears more than once in ${fmtShape(list)}`);
    seen.add(d);
  }
  return ndim === 0 ? [] : out.sort((x, y) => x - y);
}

/** Validates a user-supplied shape: non-negative integers only. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new NablaError(op, `shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new NablaError(op, `shape must hold non-negative integers, got [${shape.map(String).join(',')}]`);
    }
  }
  return shape.slice() as number[];
}
