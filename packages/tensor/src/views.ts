/**
 * View ops: new shape/strides/offset over the same storage, never a copy
 * (except reshape, which copies only when no strides can express the result).
 * Every view records, so gradients flow back through it.
 */
import { NablaError, contiguousStrides, fmtShape, isContiguous, normalizeDim, type Shape } from '@nabla/core';
import { alive, backendOf, output } from './dispatch';
import { gradMode, record } from './graph';
import { Tensor } from './tensor';

function view(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x._store, shape, strides, offset, x.storage);
}

function rec(op: string, x: Tensor, out: Tensor, attrs: Record<string, unknown>): Tensor {
  if (gradMode.enabled && x.requiresGrad) record(op, [x], out, attrs);
  return out;
}

/** Resolves one -1 and checks that the element count is unchanged. */
export function inferShape(op: string, shape: readonly number[], n: number, from: Shape): number[] {
  let infer = -1;
  let known = 1;
  const out = shape.slice();
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d === -1) {
      if (infer >= 0) throw new NablaError(op, `only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new NablaError(op, `shape must hold non-negative integers (or one -1), got ${fmtShape(shape)}`);
    } else known *= d;
  }
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new NablaError(op, `shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)}`);
    out[infer] = n / known;
  } else if (known !== n) {
    throw new NablaError(op, `shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)} (${n} elements)`);
  }
  return out;
}

/** Strides that view (oldShape, oldStrides) as newShape without copying, or null (PyTorch's computeStride). */
function viewStrides(oldShape: Shape, oldStrides: readonly number[], newShape: Shape): number[] | null {
  if (oldShape.length === 0) return contiguousStrides(newShape);
  let n = 1;
  for (const d of oldShape) n *= d;
  if (n === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let td = oldShape.length - 1; td >= 0; td--) {
    tensorNumel *= oldShape[td];
    if (td === 0 || (oldShape[td - 1] !== 1 && oldStrides[td - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (td > 0) {
        chunkBase = oldStrides[td - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

function reshapeImpl(op: string, x: Tensor, shape: readonly number[], mayCopy: boolean): Tensor {
  alive(op, x);
  const target = inferShape(op, shape, x.numel, x.shape);
  const strides = isContiguous(x.shape, x.strides) ? contiguousStrides(target) : viewStrides(x.shape, x.strides, target);
  if (strides === null) {
    if (!mayCopy) {
      throw new NablaError(op, `view size is not compatible with input tensor's size and stride: shape=${fmtShape(x.shape)} strides=${fmtShape(x.strides)} to ${fmtShape(target)}; use reshape()`);
    }
    return reshapeImpl(op, contiguous(x), target, false);
  }
  return rec('reshape', x, view(x, target, strides, x.offset), { inputShape: x.shape.slice() });
}

/**
 * Same data, new shape (one dim may be -1); copies only when the layout makes a view impossible.
 * @example
 * arange(6).reshape([2, -1]).shape; // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return reshapeImpl('reshape', x, shape, true);
}

/** Like reshape but never copies: throws when the strides cannot express the new shape. */
export function viewAs(x: Tensor, shape: readonly number[]): Tensor {
  return reshapeImpl('view', x, shape, false);
}

/** A contiguous tensor with the same values: `x` itself when already contiguous. */
export function contiguous(x: Tensor): Tensor {
  const be = backendOf('contiguous', x);
  if (isContiguous(x.shape, x.strides)) return x;
  const out = output(be, x.dtype, x.shape);
  be.kernels.copy(out, x);
  return rec('contiguous', x, out, {});
}

/** Always a fresh contiguous copy (recorded as 'contiguous': the gradient passes through unchanged). */
export function clone(x: Tensor): Tensor {
  const be = backendOf('clone', x);
  const out = output(be, x.dtype, x.shape);
  be.kernels.copy(out, x);
  return rec('contiguous', x, out, {});
}

export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  alive('flatten', x);
  if (x.ndim === 0) return reshapeImpl('flatten', x, [1], true);
  const s = normalizeDim('flatten', start, x.ndim);
  const e = normalizeDim('flatten', end, x.ndim);
  if (s > e) throw new NablaError('flatten', `start dim ${start} must not come after end dim ${end} for shape ${fmtShape(x.shape)}`);
  const shape = x.shape.slice(0, s);
  let n = 1;
  for (let i = s; i <= e; i++) n *= x.shape[i];
  shape.push(n, ...x.shape.slice(e + 1));
  return reshapeImpl('flatten', x, shape, true);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  alive('squeeze', x);
  let dims: number[];
  if (dim === undefined) dims = x.shape.map((_, i) => i);
  else dims = (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim('squeeze', d, x.ndim));
  const shape = x.shape.filter((d, i) => !(d === 1 && dims.includes(i)));
  return reshapeImpl('squeeze', x, shape, true);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  alive('unsqueeze', x);
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshapeImpl('unsqueeze', x, shape, true);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  alive('permute', x);
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new NablaError('permute', `expected ${x.ndim} dims for shape ${fmtShape(x.shape)}, got ${fmtShape(dims ?? [])}`);
  }
  const p = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(p).size !== p.length) throw new NablaError('permute', `dims ${fmtShape(dims)} repeat a dim`);
  const out = view(x, p.map((d) => x.shape[d]), p.map((d) => x.strides[d]), x.offset);
  return rec('permute', x, out, { dims: p });
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  alive('transpose', x);
  if (x.ndim === 0) {
    normalizeDim('transpose', d0, 0);
    normalizeDim('transpose', d1, 0);
    return x;
  }
  const a = normalizeDim('transpose', d0, x.ndim);
  const b = normalizeDim('transpose', d1, x.ndim);
  const p = x.shape.map((_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}

/** 2-D transpose (1-D and 0-D tensors are returned as is, like torch.t). */
export function t(x: Tensor): Tensor {
  alive('t', x);
  if (x.ndim > 2) throw new NablaError('t', `expects a tensor with <= 2 dims, got shape ${fmtShape(x.shape)}`);
  return x.ndim < 2 ? x : permute(x, [1, 0]);
}

/** Broadcasts singleton dims (and new leading dims) to `shape`; -1 keeps a dim. Stride 0, no copy. */
export function expand(x: Tensor, shape: readonly number[], op = 'expand'): Tensor {
  alive(op, x);
  const n = shape.length;
  const lead = n - x.ndim;
  if (lead < 0) throw new NablaError(op, `target shape ${fmtShape(shape)} has fewer dims than input shape ${fmtShape(x.shape)}`);
  const outShape = new Array<number>(n);
  const strides = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const want = shape[i];
    const j = i - lead;
    const have = j >= 0 ? x.shape[j] : 1;
    if (want === -1) {
      if (j < 0) throw new NablaError(op, `-1 is not allowed for a new leading dim: ${fmtShape(shape)} from ${fmtShape(x.shape)}`);
      outShape[i] = have;
      strides[i] = x.strides[j];
    } else if (!Number.isInteger(want) || want < 0) {
      throw new NablaError(op, `shape must hold non-negative integers, got ${fmtShape(shape)}`);
    } else if (j >= 0 && have === want) {
      outShape[i] = want;
      strides[i] = x.strides[j];
    } else if (have === 1) {
      outShape[i] = want;
      strides[i] = 0;
    } else {
      throw new NablaError(op, `cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)}: dim ${i} is ${have}, not 1`);
    }
  }
  return rec('expand', x, view(x, outShape, strides, x.offset), { inputShape: x.shape.slice() });
}

/**
 * Python-style slice along `dim`: negative indices count from the end, bounds clamp,
 * step must be positive.
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  alive('slice', x);
  if (x.ndim === 0) throw new NablaError('slice', 'cannot slice a rank-0 tensor');
  const d = normalizeDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new NablaError('slice', `step must be a positive integer, got ${step}`);
  const size = x.shape[d];
  const clampIdx = (i: number | null | undefined, dflt: number): number => {
    if (i === undefined || i === null) return dflt;
    if (!Number.isInteger(i)) throw new NablaError('slice', `indices must be integers, got ${i}`);
    const j = i < 0 ? i + size : i;
    return Math.min(Math.max(j, 0), size);
  };
  const s = clampIdx(start, 0);
  const e = Math.max(clampIdx(end, size), s);
  const len = Math.ceil((e - s) / step);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  const out = view(x, shape, strides, x.offset + (len > 0 ? s * x.strides[d] : 0));
  return rec('slice', x, out, { dim: d, start: s, end: e, step, inputShape: x.shape.slice() });
}

/** `length` elements of `dim` from `start` (negative start counts from the end); out of range throws. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  alive('narrow', x);
  const d = normalizeDim('narrow', dim, x.ndim);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new NablaError('narrow', `start ${start} and length ${length} out of range for dim ${d} of shape ${fmtShape(x.shape)}`);
  }
  return slice(x, d, s, s + length, 1);
}

/** Drops `dim` by picking index `i` (negative counts from the end). */
export function select(x: Tensor, dim: number, i: number): Tensor {
  alive('select', x);
  if (x.ndim === 0) throw new NablaError('select', 'cannot select from a rank-0 tensor');
  const d = normalizeDim('select', dim, x.ndim);
  const size = x.shape[d];
  const j = i < 0 ? i + size : i;
  if (!Number.isInteger(j) || j < 0 || j >= size) {
    throw new NablaError('select', `index ${i} out of range for dim ${d} of shape ${fmtShape(x.shape)}`);
  }
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  const out = view(x, shape, strides, x.offset + j * x.strides[d]);
  return rec('select', x, out, { dim: d, index: j, inputShape: x.shape.slice() });
}

/** A view sharing storage that is cut from the graph (never requires grad). */
export function detach(x: Tensor): Tensor {
  alive('detach', x);
  return view(x, x.shape, x.strides, x.offset);
}
