/**
 * Joining, splitting and indexing: cat/stack/split/chunk build on strided
 * copies and views; gather/scatterAdd/indexSelect run one kernel each.
 */
import { NablaError, fmtShape, normalizeDim, resultType, type View } from '@nabla/core';
import { alive, backendOf, empty } from './dispatch';
import { binary, cast } from './elementwise';
import { gradMode, record } from './graph';
import { amax, amin } from './reduce';
import { arangeOn } from './creation';
import { narrow, unsqueeze } from './views';
import { Tensor } from './tensor';

function checkList(op: string, list: readonly Tensor[]): void {
  if (!Array.isArray(list) || list.length === 0) throw new NablaError(op, 'expected a non-empty list of tensors');
  for (const t of list) {
    if (!(t instanceof Tensor)) throw new NablaError(op, `expected a list of tensors, got ${typeof t}`);
    alive(op, t);
  }
}

/**
 * Concatenates along an existing dim; shapes must agree elsewhere; dtypes promote.
 * @example
 * cat([ones([2, 1]), zeros([2, 2])], 1).shape; // [2, 3]
 */
export function cat(list: readonly Tensor[], dim = 0): Tensor {
  checkList('cat', list);
  const first = list[0];
  const d = normalizeDim('cat', dim, first.ndim);
  if (first.ndim === 0) throw new NablaError('cat', 'zero-dimensional tensors cannot be concatenated; use stack');
  let size = 0;
  for (const t of list) {
    backendOf('cat', first, t);
    const ok = t.ndim === first.ndim && t.shape.every((s, i) => i === d || s === first.shape[i]);
    if (!ok) throw new NablaError('cat', `shapes must match except in dim ${d}: ${list.map((x) => fmtShape(x.shape)).join(' vs ')}`);
    size += t.shape[d];
  }
  const dt = resultType(list.map((t) => t.dtype));
  const shape = first.shape.slice();
  shape[d] = size;
  const be = first.backend;
  const out = empty(be, dt, shape);
  const inputs = list.map((t) => (t.dtype === dt ? t : cast(t, dt)));
  let off = 0;
  for (const t of inputs) {
    const part: View = { storage: out.storage, dtype: dt, shape: t.shape, strides: out.strides, offset: off * out.strides[d] };
    if (t.numel > 0) be.kernels.copy(part, t);
    off += t.shape[d];
  }
  if (gradMode.enabled && inputs.some((t) => t.requiresGrad)) record('cat', inputs, out, { dim: d, sizes: inputs.map((t) => t.shape[d]) });
  return out;
}

/** Joins equal-shaped tensors along a new dim. */
export function stack(list: readonly Tensor[], dim = 0): Tensor {
  checkList('stack', list);
  const first = list[0];
  for (const t of list) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => s !== first.shape[i])) {
      throw new NablaError('stack', `all tensors must have the same shape: ${list.map((x) => fmtShape(x.shape)).join(' vs ')}`);
    }
  }
  const d = normalizeDim('stack', dim, first.ndim + 1);
  return cat(list.map((t) => unsqueeze(t, d)), d);
}

/** Views of consecutive pieces along `dim`: equal pieces of `size` (the last may be shorter) or the given sizes. */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  alive('split', x);
  const d = normalizeDim('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSizes === 'number') {
    if (!Number.isInteger(sizeOrSizes) || sizeOrSizes <= 0) throw new NablaError('split', `split size must be a positive integer, got ${sizeOrSizes}`);
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, n - s));
    if (n === 0) sizes.push(0);
  } else {
    sizes = sizeOrSizes.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== n) {
      throw new NablaError('split', `sizes ${fmtShape(sizes)} must be non-negative integers summing to ${n} (dim ${d} of shape ${fmtShape(x.shape)})`);
    }
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(narrow(x, d, start, s));
    start += s;
  }
  return out;
}

/** Splits into `chunks` pieces of ceil(size / chunks) along `dim` (fewer when it divides unevenly, as torch). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  alive('chunk', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new NablaError('chunk', `chunks must be a positive integer, got ${chunks}`);
  const d = normalizeDim('chunk', dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

function checkIndex(op: string, index: Tensor): void {
  if (!(index instanceof Tensor)) throw new NablaError(op, 'index must be a tensor');
  alive(op, index);
  if (index.dtype !== 'int32') throw new NablaError(op, `index must be int32, got ${index.dtype}`);
}

/** `x` restricted to the leading `shape[i]` entries of every dim but `dim` (a view object, no copy). */
function narrowOthers(x: Tensor, shape: readonly number[], dim: number): View {
  const s = x.shape.map((v, i) => (i === dim ? v : shape[i]));
  return { storage: x.storage, dtype: x.dtype, shape: s, strides: x.strides, offset: x.offset };
}

function checkGatherShapes(op: string, x: Tensor, index: Tensor, d: number, other?: Tensor): void {
  const bad = index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i]) || (other !== undefined && (other.ndim !== index.ndim || index.shape.some((s, i) => s > other.shape[i])));
  if (bad) {
    const o = other ? ` src=${fmtShape(other.shape)}` : '';
    throw new NablaError(op, `index shape ${fmtShape(index.shape)} does not fit input ${fmtShape(x.shape)}${o} at dim ${d}`);
  }
}

/**
 * out[i][j] = x[i][index[i][j]] (for dim 1): picks entries along `dim`.
 * @example
 * tensor([[1, 2, 3]]).gather(1, tensor([[2, 0]])).toArray(); // [[3, 1]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const be = backendOf('gather', x);
  checkIndex('gather', index);
  backendOf('gather', x, index);
  const d = normalizeDim('gather', dim, x.ndim);
  checkGatherShapes('gather', x, index, d);
  const out = empty(be, x.dtype, index.shape);
  if (out.numel > 0) be.kernels.gather(out, narrowOthers(x, index.shape, d), d, index);
  if (gradMode.enabled && x.requiresGrad) record('gather', [x, index], out, { dim: d, inputShape: x.shape.slice() });
  return out;
}

/** A copy of `x` with src added at the positions `index` names along `dim` (duplicates accumulate). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const be = backendOf('scatterAdd', x, src);
  checkIndex('scatterAdd', index);
  backendOf('scatterAdd', x, index);
  const d = normalizeDim('scatterAdd', dim, x.ndim);
  checkGatherShapes('scatterAdd', x, index, d, src);
  const s = src.dtype === x.dtype ? src : cast(src, x.dtype);
  const srcView: View = { storage: s.storage, dtype: s.dtype, shape: index.shape, strides: s.strides, offset: s.offset };
  const out = empty(be, x.dtype, x.shape);
  be.kernels.copy(out, x);
  if (index.numel > 0) {
    const fits = index.shape.every((v, i) => i === d || v === x.shape[i]);
    if (fits) be.kernels.scatterAdd(out, d, index, srcView);
    else {
      // The kernel writes a contiguous out: scatter into a contiguous copy of the covered region, then copy it back.
      const region = narrowOthers(out, index.shape, d);
      const tmp = empty(be, x.dtype, region.shape);
      be.kernels.copy(tmp, region);
      be.kernels.scatterAdd(tmp, d, index, srcView);
      be.kernels.copy(region, tmp);
      tmp.dispose();
    }
  }
  if (gradMode.enabled && (x.requiresGrad || s.requiresGrad)) record('scatterAdd', [x, index, s], out, { dim: d });
  return out;
}

/** Entries of `x` at the 1-D int32 `index` along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const be = backendOf('indexSelect', x);
  checkIndex('indexSelect', index);
  backendOf('indexSelect', x, index);
  if (index.ndim > 1) throw new NablaError('indexSelect', `index must be 1-D, got shape ${fmtShape(index.shape)}`);
  const d = normalizeDim('indexSelect', dim, x.ndim);
  const n = index.numel;
  const shape = x.shape.slice();
  if (x.ndim > 0) shape[d] = n;
  const out = empty(be, x.dtype, shape);
  if (out.numel > 0) {
    // index seen with out's shape: stride 0 everywhere except along `dim`.
    const strides = shape.map((_, i) => (i === d ? index.strides[0] ?? 0 : 0));
    const idx: View = { storage: index.storage, dtype: 'int32', shape, strides, offset: index.offset };
    const xs = x.ndim === 0 ? { storage: x.storage, dtype: x.dtype, shape: [1], strides: [1], offset: x.offset } : x;
    const o = x.ndim === 0 ? { storage: out.storage, dtype: out.dtype, shape: [1], strides: [1], offset: 0 } : out;
    be.kernels.gather(o, xs, x.ndim === 0 ? 0 : d, x.ndim === 0 ? { ...idx, shape: [1], strides: [0] } : idx);
  }
  if (gradMode.enabled && x.requiresGrad) record('indexSelect', [x, index], out, { dim: d, inputShape: x.shape.slice() });
  return out;
}

/**
 * int32 one-hot encoding with a new last dim of `numClasses` (-1: max index + 1), like torch (int64 there).
 * @example
 * oneHot(tensor([0, 2]), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  checkIndex('oneHot', indices);
  let n = numClasses;
  if (indices.numel > 0) {
    const lo = amin(indices).item();
    const hi = amax(indices).item();
    if (lo < 0) throw new NablaError('oneHot', `class values must be non-negative, got ${lo}`);
    if (n === -1) n = hi + 1;
    else if (hi >= n) throw new NablaError('oneHot', `class values must be smaller than numClasses ${n}, got ${hi}`);
  } else if (n === -1) throw new NablaError('oneHot', 'cannot infer numClasses from an empty tensor');
  if (!Number.isInteger(n) || n < 0) throw new NablaError('oneHot', `numClasses must be a non-negative integer, got ${numClasses}`);
  const classes = arangeOn(indices.backend, 0, n, 1, 'int32');
  const hot = binary('eq', unsqueeze(indices, -1), classes);
  const out = cast(hot, 'int32');
  hot.dispose();
  return out;
}
