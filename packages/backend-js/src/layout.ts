/**
 * Strided iteration shared by every kernel family: operands are walked over one
 * shape with their own strides and offsets. Dims are coalesced first (size-1
 * dims dropped, adjacent dims merged where every operand allows), so a view that
 * is contiguous in effect runs as one flat loop, and the innermost dim is left to
 * the caller's tight loop.
 */
import type { View } from '@nabla/core';

export interface LoopPlan {
  /** Coalesced shape, rank >= 1; the last dim is the inner loop. */
  readonly shape: number[];
  /** strides[k] is operand k's stride per coalesced dim. */
  readonly strides: number[][];
  /** Total element count (0 means: run nothing). */
  readonly size: number;
}

/** Plans a loop over `shape` for operands with the given strides. */
export function planLoop(shape: readonly number[], strides: readonly (readonly number[])[]): LoopPlan {
  const k = strides.length;
  const rank = shape.length;
  let size = 1;
  for (let d = 0; d < rank; d++) size *= shape[d];
  const outShape: number[] = [];
  const outStrides: number[][] = [];
  for (let j = 0; j < k; j++) outStrides.push([]);
  let m = 0; // kept dims so far
  if (size !== 0) {
    for (let d = 0; d < rank; d++) {
      const n = shape[d];
      if (n === 1) continue;
      // Merge dim d into the previous kept dim when every operand steps by exactly the previous extent.
      let merge = m > 0;
      for (let j = 0; j < k && merge; j++) {
        if (outStrides[j][m - 1] !== strides[j][d] * n) merge = false;
      }
      if (merge) {
        outShape[m - 1] *= n;
        for (let j = 0; j < k; j++) outStrides[j][m - 1] = strides[j][d];
      } else {
        outShape[m] = n;
        for (let j = 0; j < k; j++) outStrides[j][m] = strides[j][d];
        m++;
      }
    }
  }
  if (m === 0) {
    outShape[0] = size === 0 ? 0 : 1;
    for (let j = 0; j < k; j++) outStrides[j][0] = 0;
  }
  return { shape: outShape, strides: outStrides, size };
}

/**
 * Calls `row(offs)` once per inner row of the plan with each operand's offset at
 * the row start; the caller loops `plan.shape[last]` elements with the inner strides.
 * `offs` is reused between calls.
 */
export function forEachRow(plan: LoopPlan, offsets: readonly number[], row: (offs: number[]) => void): void {
  if (plan.size === 0) return;
  const k = offsets.length;
  const offs = offsets.slice();
  const r = plan.shape.length - 1;
  if (r === 0) {
    row(offs);
    return;
  }
  const idx: number[] = [];
  for (let d = 0; d < r; d++) idx.push(0);
  const { shape, strides } = plan;
  for (;;) {
    row(offs);
    let d = r - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < k; j++) offs[j] += strides[j][d];
      if (idx[d] < shape[d]) break;
      for (let j = 0; j < k; j++) offs[j] -= strides[j][d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Row-major strides (in elements) for a shape. */
export function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when the view is row-major without gaps (size-1 dims ignored), i.e. a flat run from its offset. */
export function isDense(v: View): boolean {
  let s = 1;
  const { shape, strides } = v;
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i];
    if (n === 1) continue;
    if (strides[i] !== s) return false;
    s *= n;
  }
  return true;
}

/** The storage offset of the element at logical row-major index i (slow; for setup code only). */
export function offsetOf(v: View, i: number): number {
  let off = v.offset;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    const n = v.shape[d];
    off += (i % n) * v.strides[d];
    i = Math.floor(i / n);
  }
  return off;
}

/** A row-major copy of a view's elements (for kernels that want dense operands, e.g. conv and pooling). */
export function denseCopy(v: View, into?: Float64Array | Int32Array): Float64Array | Int32Array {
  const isFloat = v.dtype === 'float32' || v.dtype === 'float64';
  const dst = into ?? (isFloat ? new Float64Array(sizeOf(v.shape)) : new Int32Array(sizeOf(v.shape)));
  const src = v.storage as ArrayLike<number>;
  const plan = planLoop(v.shape, [rowMajor(v.shape), v.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const sd = plan.strides[0][last];
  const ss = plan.strides[1][last];
  forEachRow(plan, [0, v.offset], (offs) => {
    let pd = offs[0];
    let ps = offs[1];
    for (let i = 0; i < n; i++, pd += sd, ps += ss) dst[pd] = src[ps];
  });
  return dst;
}

/** Writes a row-major buffer into a view through its strides, converting each value. */
export function writeDense(out: View, src: ArrayLike<number>, conv: (x: number) => number): void {
  const o = out.storage as { [i: number]: number };
  const plan = planLoop(out.shape, [out.strides, rowMajor(out.shape)]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const ss = plan.strides[1][last];
  forEachRow(plan, [out.offset, 0], (offs) => {
    let po = offs[0];
    let ps = offs[1];
    for (let i = 0; i < n; i++, po += so, ps += ss) o[po] = conv(src[ps]);
  });
}
