/**
 * Reductions. `sum/prod/amax/amin` are one `reduce` kernel each; `max(dim)`
 * adds argReduce for the indices; mean/var/std compose sum; logSumExp,
 * softmax and logSoftmax are computed stably (subtract the max) and recorded
 * as single nodes so autograd has one short rule for each.
 */
import {
  NablaError, contiguousStrides, fmtShape, isContiguous, isFloating, normalizeDim, normalizeDims,
  type DType, type ReduceOp,
} from '@nabla/core';
import { backendOf } from './dispatch';
import { binary, cast, unary, where } from './elementwise';
import { gradMode, record, releaseIntermediate } from './graph';
import { Storage, outputStorage } from './storage';
import { Tensor } from './tensor';

export type Dims = number | readonly number[];
export interface ReduceOptions { keepdim?: boolean }
export interface VarOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator (1 = Bessel, the default). */
  correction?: number;
  /** `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
}

function resolveDims(op: string, x: Tensor, dim: Dims | undefined | null): number[] {
  if (dim !== undefined && dim !== null && typeof dim !== 'number' && !Array.isArray(dim)) {
    throw new NablaError(op, `dim must be a number or an array of numbers, got ${JSON.stringify(dim)}; options go second: ${op}(null, { keepdim: true })`);
  }
  if (dim === undefined || dim === null || (typeof dim !== 'number' && dim.length === 0)) return normalizeDims(op, undefined, x.ndim);
  return normalizeDims(op, dim, x.ndim);
}

function shapes(x: Tensor, dims: readonly number[], keepdim: boolean): { keep: number[]; out: number[] } {
  const keep = x.shape.slice();
  for (const d of dims) keep[d] = 1;
  const out = keepdim ? keep : x.shape.filter((_, i) => !dims.includes(i));
  return { keep, out };
}

/** Runs one reduce kernel into a fresh storage and returns it shaped as requested. */
function reduceRaw(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean, dtype: DType): Tensor {
  const be = x.backend;
  const { keep, out } = shapes(x, dims, keepdim);
  let n = 1;
  for (const d of keep) n *= d;
  // A reduction over nothing writes the identity; kept on zero-filled storage all the same.
  const st = x.numel > 0 ? outputStorage(be, dtype, n) : new Storage(be, dtype, n);
  be.kernels.reduce(op, { storage: st.handle, dtype, shape: keep, strides: contiguousStrides(keep), offset: 0 }, x, dims);
  return new Tensor(st, out, contiguousStrides(out), 0);
}

/**
 * Sum over `dim` (all dims when omitted); bool and int32 sum to int32.
 * @example
 * tensor([[1, 2], [3, 4]]).sum(1, { keepdim: true }).toArray(); // [[3], [7]]
 */
export function sum(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  backendOf('sum', x);
  const dims = resolveDims('sum', x, dim);
  const keepdim = opts.keepdim ?? false;
  const src = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const out = reduceRaw('sum', src, dims, keepdim, src.dtype);
  if (gradMode.enabled && src.requiresGrad) record('sum', [src], out, { dims, keepdim, inputShape: x.shape.slice() });
  else if (src !== x) src.dispose();
  return out;
}

/** Mean over `dim`; ints promote to float32. An empty reduction gives NaN, as torch. */
export function mean(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  backendOf('mean', x);
  const src = isFloating(x.dtype) ? x : cast(x, 'float32');
  const dims = resolveDims('mean', src, dim);
  let n = 1;
  for (const d of dims) n *= src.shape[d];
  const total = sum(src, dims, opts);
  const out = binary('mul', total, 1 / n);
  releaseIntermediate(total, out);
  return out;
}

export function prod(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  backendOf('prod', x);
  const dims = resolveDims('prod', x, dim);
  const keepdim = opts.keepdim ?? false;
  const src = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const out = reduceRaw('prod', src, dims, keepdim, src.dtype);
  if (gradMode.enabled && src.requiresGrad) record('prod', [src], out, { dims, keepdim, inputShape: x.shape.slice() }, [out]);
  return out;
}

function checkNonEmpty(op: string, x: Tensor, dims: readonly number[]): void {
  for (const d of dims) {
    if (x.shape[d] === 0) throw new NablaError(op, `cannot reduce over dim ${d} of size 0 (shape ${fmtShape(x.shape)}); no identity`);
  }
  if (dims.length === 0 && x.numel === 0) throw new NablaError(op, `cannot reduce an empty tensor of shape ${fmtShape(x.shape)}`);
}

/** Max over `dim` (all dims when omitted). Gradient at ties is shared evenly, as torch.amax. */
export function amax(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  return extreme('amax', 'max', x, dim, opts);
}

export function amin(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  return extreme('amin', 'min', x, dim, opts);
}

function extreme(op: 'amax' | 'amin', kernel: 'max' | 'min', x: Tensor, dim: Dims | undefined | null, opts: ReduceOptions): Tensor {
  backendOf(op, x);
  const dims = resolveDims(op, x, dim);
  checkNonEmpty(op, x, dims);
  const keepdim = opts.keepdim ?? false;
  const out = reduceRaw(kernel, x, dims, keepdim, x.dtype);
  if (gradMode.enabled && x.requiresGrad) record(op, [x], out, { dims, keepdim, inputShape: x.shape.slice() }, [out]);
  return out;
}

/** Index (int32) of the first max along `dim`, or into the flattened tensor when `dim` is omitted. */
export function argmax(x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor {
  return argExtreme('argmax', x, dim, opts);
}

export function argmin(x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor {
  return argExtreme('argmin', x, dim, opts);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined | null, opts: ReduceOptions): Tensor {
  const be = backendOf(op, x);
  if (dim === undefined || dim === null) {
    if (x.numel === 0) throw new NablaError(op, `cannot take ${op} of an empty tensor of shape ${fmtShape(x.shape)}`);
    const flat = x.reshape([x.numel]);
    const r = argExtreme(op, flat, 0, {});
    return opts.keepdim ? r.reshape(x.shape.map(() => 1)) : r;
  }
  const d = normalizeDim(op, dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  checkNonEmpty(op, x, dims);
  const { keep, out } = shapes(x, dims, opts.keepdim ?? false);
  let n = 1;
  for (const s of keep) n *= s;
  const st = outputStorage(be, 'int32', n);
  const src = x.ndim === 0 ? x.reshape([1]) : x;
  const keep1 = x.ndim === 0 ? [1] : keep;
  be.kernels.argReduce(op, { storage: st.handle, dtype: 'int32', shape: keep1, strides: contiguousStrides(keep1), offset: 0 }, src, x.ndim === 0 ? 0 : d);
  return new Tensor(st, out, contiguousStrides(out), 0);
}

export interface ValuesIndices { values: Tensor; indices: Tensor }

/** torch.max(x, dim): values and int32 indices; the gradient goes to the selected index only. */
export function maxWithIndices(x: Tensor, dim: number, opts: ReduceOptions = {}): ValuesIndices {
  return extremeWithIndices('max', x, dim, opts);
}

export function minWithIndices(x: Tensor, dim: number, opts: ReduceOptions = {}): ValuesIndices {
  return extremeWithIndices('min', x, dim, opts);
}

function extremeWithIndices(op: 'max' | 'min', x: Tensor, dim: number, opts: ReduceOptions): ValuesIndices {
  backendOf(op, x);
  const d = normalizeDim(op, dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  checkNonEmpty(op, x, dims);
  const keepdim = opts.keepdim ?? false;
  const values = reduceRaw(op, x, dims, keepdim, x.dtype);
  const indices = argExtreme(op === 'max' ? 'argmax' : 'argmin', x, dim, { keepdim });
  if (gradMode.enabled && x.requiresGrad) record(op, [x], values, { dim: d, keepdim, inputShape: x.shape.slice() }, [indices]);
  return { values, indices };
}

/** `max()` over everything, or values of `max(dim)` (use maxWithIndices for the indices too). */
export function max(x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor {
  return dim === undefined || dim === null ? amax(x) : extremeWithIndices('max', x, dim, opts).values;
}

export function min(x: Tensor, dim?: number | null, opts: ReduceOptions = {}): Tensor {
  return dim === undefined || dim === null ? amin(x) : extremeWithIndices('min', x, dim, opts).values;
}

/** Variance with Bessel's correction by default (`{ correction: 0 }` or `{ unbiased: false }` for the population variance). */
export function variance(x: Tensor, dim?: Dims | null, opts: VarOptions = {}): Tensor {
  backendOf('var', x);
  const src = isFloating(x.dtype) ? x : cast(x, 'float32');
  const dims = resolveDims('var', src, dim);
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  let n = 1;
  for (const d of dims) n *= src.shape[d];
  const mu = mean(src, dims, { keepdim: true });
  const diff = binary('sub', src, mu);
  const ss = sum(binary('mul', diff, diff), dims, { keepdim: opts.keepdim ?? false });
  return binary('div', ss, Math.max(0, n - correction));
}

export function std(x: Tensor, dim?: Dims | null, opts: VarOptions = {}): Tensor {
  return unary('sqrt', variance(x, dim, opts));
}

/** Runs `fn` with recording off: the stable composites below record one node themselves. */
function quiet<T>(fn: () => T): T {
  const prev = gradMode.enabled;
  gradMode.enabled = false;
  try {
    return fn();
  } finally {
    gradMode.enabled = prev;
  }
}

/** A max that is safe to subtract: ±inf maxima become 0 so rows of -inf do not turn into NaN (as torch). */
function safeMax(x: Tensor, dims: readonly number[]): Tensor {
  const m = amax(x, dims, { keepdim: true });
  const inf = binary('eq', unary('abs', m), Infinity);
  return where(inf, 0, m);
}

/** log(sum(exp(x))) over `dim`, computed as m + log(sum(exp(x - m))) with m the max. */
export function logSumExp(x: Tensor, dim?: Dims | null, opts: ReduceOptions = {}): Tensor {
  backendOf('logSumExp', x);
  const src = isFloating(x.dtype) ? x : cast(x, 'float32');
  const dims = resolveDims('logSumExp', src, dim);
  const keepdim = opts.keepdim ?? false;
  const out = quiet(() => {
    const m = safeMax(src, dims);
    const s = unary('log', sum(unary('exp', binary('sub', src, m)), dims, { keepdim: true }));
    const r = binary('add', s, m);
    return keepdim ? r : r.reshape(shapes(src, dims, false).out);
  });
  if (gradMode.enabled && src.requiresGrad) record('logSumExp', [src], out, { dims, keepdim, inputShape: src.shape.slice() }, [out]);
  return out;
}

function lastDimContiguous(x: Tensor, d: number): boolean {
  return d === x.ndim - 1 && x.offset === 0 && isContiguous(x.shape, x.strides);
}

/**
 * exp(x - max) / sum(exp(x - max)) along `dim`; uses the backend's fused kernel when it has one.
 * @example
 * tensor([[1000, 1000]]).softmax(-1).toArray(); // [[0.5, 0.5]] (no overflow)
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  return softmaxLike('softmax', x, dim);
}

/** x - max - log(sum(exp(x - max))) along `dim`. */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return softmaxLike('logSoftmax', x, dim);
}

function softmaxLike(op: 'softmax' | 'logSoftmax', x: Tensor, dim: number): Tensor {
  const be = backendOf(op, x);
  const src = isFloating(x.dtype) ? x : cast(x, 'float32');
  const d = normalizeDim(op, dim, src.ndim);
  const fused = be.fused?.[op];
  let out: Tensor;
  if (fused && src.ndim > 0 && lastDimContiguous(src, d)) {
    const st = outputStorage(be, src.dtype, src.numel);
    out = new Tensor(st, src.shape, contiguousStrides(src.shape), 0);
    fused(out, src);
  } else {
    out = quiet(() => {
      const dims = src.ndim === 0 ? [] : [d];
      const shifted = binary('sub', src, safeMax(src, dims));
      const e = unary('exp', shifted);
      if (op === 'softmax') return binary('div', e, sum(e, dims, { keepdim: true }));
      return binary('sub', shifted, unary('log', sum(e, dims, { keepdim: true })));
    });
  }
  if (gradMode.enabled && src.requiresGrad) record(op, [src], out, { dim: d }, [out]);
  return out;
}
