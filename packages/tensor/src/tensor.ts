/**
 * The Tensor: a view (shape, strides, offset, dtype) over refcounted backend
 * storage, plus the autograd fields. It is itself a core `View`, so kernels
 * receive tensors with no wrapping. Methods are one-liners over the op modules.
 */
import {
  NablaError, isContiguous, isFloating, normalizeDim, numel as shapeNumel, type Backend, type DType, type TypedArrayMap,
} from '@nabla/core';
import { stats, track, type LifeCell, type Storage } from './storage';
import { scopes } from './scope';
import { runBackward, type BackwardOptions, type Node } from './graph';
import { formatTensor } from './format';
import { toNested, type NestedArray } from './nested';
import { binary, cast, clamp, leakyRelu, logSigmoid, unary, where, type TensorLike } from './elementwise';
import {
  amax, amin, argmax, argmin, logSoftmax, logSumExp, max, maxWithIndices, mean, min, minWithIndices, prod, softmax, std, sum,
  variance, type Dims, type ReduceOptions, type ValuesIndices, type VarOptions,
} from './reduce';
import { dot, matmul, mm } from './linalg';
import {
  clone, contiguous, detach, expand, flatten, narrow, permute, reshape, select, slice, squeeze, t, transpose, unsqueeze, viewAs,
} from './views';
import { chunk, gather, indexSelect, scatterAdd, split } from './join';
import { addInPlace, addScaledInPlace, copyInPlace, divInPlace, fillInPlace, mulInPlace, subInPlace } from './inplace';
import { fromHost } from './creation';

const shapeArg = (s: readonly number[] | number, rest: number[]): readonly number[] => (typeof s === 'number' ? [s, ...rest] : s);

export class Tensor {
  /** The refcounted storage shared with every view of it. */
  readonly _store: Storage;
  /** The backend's storage handle (this makes a Tensor a core `View`); null after dispose. */
  storage: unknown;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly numel: number;
  /** Finalizer bookkeeping once registered (see storage.ts): marked done by dispose() so a later collection does not release twice. */
  _cell: LifeCell | null = null;
  disposed = false;
  /** Internal shared constants: dispose() is a no-op. */
  pinned = false;
  private _rg = false;
  private _grad: Tensor | null = null;
  /** Set by keep() and by becoming a .grad: the enclosing scope() hands the tensor to its parent instead of disposing it. */
  escaped = false;
  /**
   * Only autograd graph nodes reference this tensor: set by containers (Sequential) on the intermediate
   * results they pass between children, so that backward disposes it when it frees the graph.
   */
  graphOwned = false;
  /** Creation order: compare with `tensorsCreated()` to tell whether a tensor was made after some point. */
  readonly serial: number;
  /** The recorded op that produced this tensor; null for leaves. */
  gradFn: Node | null = null;
  /** Non-leaf tensors keep their .grad after backward when true (see retainGrad). */
  retainsGrad = false;

  /** `handle` is the storage's backend handle: a view passes its base's (a collectable Storage no longer holds it). */
  constructor(store: Storage, shape: readonly number[], strides: readonly number[], offset: number, handle: unknown = store.handle) {
    this._store = store;
    this.storage = handle;
    // Collectable backends: the finalizer's record reaches the Storage, so it must not hold the buffer.
    if (store.collectable) store.handle = null;
    this.dtype = store.dtype;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.numel = shapeNumel(shape);
    store.refs++;
    stats.tensors++;
    this.serial = stats.created++;
    track(this);
    if (scopes.length !== 0) scopes[scopes.length - 1].push(this);
  }

  get ndim(): number { return this.shape.length; }
  get backend(): Backend { return this._store.backend; }
  /** Storage version: bumped by every in-place write. */
  get version(): number { return this._store.version; }
  /** Size of one dim, or the shape. */
  size(dim?: number): number | readonly number[] {
    if (dim === undefined) return this.shape;
    return this.shape[normalizeDim('size', dim, this.ndim)];
  }

  // ---- autograd fields ----
  get requiresGrad(): boolean { return this._rg; }
  set requiresGrad(flag: boolean) {
    if (this.gradFn !== null && flag) return; // a non-leaf already requires grad: a no-op, as torch
    if (this.gradFn !== null) throw new NablaError('requiresGrad', `only leaf tensors can change requiresGrad (this one was made by '${this.gradFn.op}'); use detach()`);
    if (flag && !isFloating(this.dtype)) throw new NablaError('requiresGrad', `only floating-point tensors can require gradients, got ${this.dtype}`);
    this._rg = flag;
  }
  get isLeaf(): boolean { return this.gradFn === null; }
  /** Accumulated gradient (filled by backward on leaves); assign null to clear. A tensor assigned here outlives any scope(). */
  get grad(): Tensor | null { return this._grad; }
  set grad(g: Tensor | null) {
    if (g !== null && !(g instanceof Tensor)) throw new NablaError('grad', `expected a tensor or null, got ${typeof g}`);
    if (g !== null) g.escaped = true;
    this._grad = g;
  }
  /** For graph.record only. */
  _setGradFn(node: Node | null): void {
    this.gradFn = node;
    if (node) this._rg = true;
  }
  requiresGrad_(flag = true): this { this.requiresGrad = flag; return this; }
  retainGrad(): this { if (this.gradFn !== null) this.retainsGrad = true; return this; }
  detach(): Tensor { return detach(this); }
  /** Runs the installed autograd engine from this tensor (a scalar unless `gradient` is given). */
  backward(gradient?: Tensor, opts: BackwardOptions = {}): void { runBackward(this, gradient, opts); }

  // ---- lifetime ----
  /** Releases this tensor now; the storage is freed when its last view is released. */
  dispose(): void {
    if (this.disposed || this.pinned) return;
    this.disposed = true;
    if (this._cell !== null) this._cell.s = null;
    const handle = this.storage;
    this.storage = null; // the registry keeps this object alive until a full GC: do not keep the buffer too
    stats.tensors--;
    this._store.release(handle);
  }
  [Symbol.dispose](): void { this.dispose(); }

  // ---- readback ----
  /** A typed-array copy of the values in row-major order. */
  data<D extends DType = DType>(): TypedArrayMap[D] {
    if (this.disposed) throw new NablaError('data', 'tensor was disposed');
    const be = this.backend;
    if (isContiguous(this.shape, this.strides)) return be.read(this.storage, this.dtype as D, this.offset, this.numel);
    const tmp = contiguous(detach(this));
    const out = be.read(tmp.storage, this.dtype as D, 0, this.numel);
    tmp.dispose();
    return out;
  }
  /** Nested arrays (a plain number or boolean for rank 0). */
  toArray(): NestedArray { return toNested(this.data(), this.shape, this.dtype); }
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.disposed) throw new NablaError('item', 'tensor was disposed');
    if (this.numel !== 1) throw new NablaError('item', `only one-element tensors convert to a number, got shape [${this.shape.join(',')}]`);
    return this.data()[0];
  }
  async dataAsync<D extends DType = DType>(): Promise<TypedArrayMap[D]> { return this.data<D>(); }
  async toArrayAsync(): Promise<NestedArray> { return this.toArray(); }
  toString(): string {
    if (this.disposed) return 'tensor(<disposed>)';
    const suffix: string[] = [];
    if (this.dtype === 'float64') suffix.push('dtype=float64');
    if (this.gradFn) suffix.push(`gradFn=<${this.gradFn.op}>`);
    else if (this._rg) suffix.push('requiresGrad=true');
    return formatTensor(this.data(), this.shape, this.dtype, suffix);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
  /** A copy on another backend (values read back and written). */
  toBackend(backend: Backend): Tensor {
    if (backend === this.backend) return this;
    return fromHost(backend, this.dtype, this.shape, this.data());
  }
  to(dtype: DType): Tensor { return cast(this, dtype); }
  float(): Tensor { return cast(this, 'float32'); }
  double(): Tensor { return cast(this, 'float64'); }
  int(): Tensor { return cast(this, 'int32'); }
  bool(): Tensor { return cast(this, 'bool'); }
  /** A contiguous copy (recorded like contiguous, so gradients flow). */
  clone(): Tensor { return clone(this); }

  // ---- elementwise ----
  add(o: TensorLike): Tensor { return binary('add', this, o); }
  sub(o: TensorLike): Tensor { return binary('sub', this, o); }
  mul(o: TensorLike): Tensor { return binary('mul', this, o); }
  div(o: TensorLike): Tensor { return binary('div', this, o); }
  pow(o: TensorLike): Tensor { return binary('pow', this, o); }
  remainder(o: TensorLike): Tensor { return binary('mod', this, o); }
  maximum(o: TensorLike): Tensor { return binary('maximum', this, o); }
  minimum(o: TensorLike): Tensor { return binary('minimum', this, o); }
  eq(o: TensorLike): Tensor { return binary('eq', this, o); }
  ne(o: TensorLike): Tensor { return binary('ne', this, o); }
  lt(o: TensorLike): Tensor { return binary('lt', this, o); }
  le(o: TensorLike): Tensor { return binary('le', this, o); }
  gt(o: TensorLike): Tensor { return binary('gt', this, o); }
  ge(o: TensorLike): Tensor { return binary('ge', this, o); }
  logicalAnd(o: TensorLike): Tensor { return binary('logicalAnd', this, o); }
  logicalOr(o: TensorLike): Tensor { return binary('logicalOr', this, o); }
  logicalNot(): Tensor { return unary('logicalNot', this); }
  neg(): Tensor { return unary('neg', this); }
  abs(): Tensor { return unary('abs', this); }
  sign(): Tensor { return unary('sign', this); }
  exp(): Tensor { return unary('exp', this); }
  log(): Tensor { return unary('log', this); }
  log1p(): Tensor { return unary('log1p', this); }
  expm1(): Tensor { return unary('expm1', this); }
  sqrt(): Tensor { return unary('sqrt', this); }
  rsqrt(): Tensor { return unary('rsqrt', this); }
  square(): Tensor { return unary('square', this); }
  reciprocal(): Tensor { return unary('reciprocal', this); }
  sin(): Tensor { return unary('sin', this); }
  cos(): Tensor { return unary('cos', this); }
  tanh(): Tensor { return unary('tanh', this); }
  sigmoid(): Tensor { return unary('sigmoid', this); }
  logSigmoid(): Tensor { return logSigmoid(this); }
  relu(): Tensor { return unary('relu', this); }
  leakyRelu(slope = 0.01): Tensor { return leakyRelu(this, slope); }
  gelu(): Tensor { return unary('gelu', this); }
  softplus(): Tensor { return unary('softplus', this); }
  erf(): Tensor { return unary('erf', this); }
  floor(): Tensor { return unary('floor', this); }
  ceil(): Tensor { return unary('ceil', this); }
  round(): Tensor { return unary('round', this); }
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return clamp(this, min, max); }
  /** torch's `x.where(cond, other)`: x where cond holds, other elsewhere. */
  where(cond: Tensor, other: TensorLike): Tensor { return where(cond, this, other); }

  // ---- reductions ----
  sum(dim?: Dims | null, opts?: ReduceOptions): Tensor { return sum(this, dim, opts); }
  mean(dim?: Dims | null, opts?: ReduceOptions): Tensor { return mean(this, dim, opts); }
  prod(dim?: Dims | null, opts?: ReduceOptions): Tensor { return prod(this, dim, opts); }
  /** Max of everything, or values along `dim` (like amax; see maxWithIndices for indices). */
  max(dim?: number | null, opts?: ReduceOptions): Tensor { return max(this, dim, opts); }
  min(dim?: number | null, opts?: ReduceOptions): Tensor { return min(this, dim, opts); }
  maxWithIndices(dim: number, opts?: ReduceOptions): ValuesIndices { return maxWithIndices(this, dim, opts); }
  minWithIndices(dim: number, opts?: ReduceOptions): ValuesIndices { return minWithIndices(this, dim, opts); }
  amax(dim?: Dims | null, opts?: ReduceOptions): Tensor { return amax(this, dim, opts); }
  amin(dim?: Dims | null, opts?: ReduceOptions): Tensor { return amin(this, dim, opts); }
  argmax(dim?: number | null, opts?: ReduceOptions): Tensor { return argmax(this, dim, opts); }
  argmin(dim?: number | null, opts?: ReduceOptions): Tensor { return argmin(this, dim, opts); }
  var(dim?: Dims | null, opts?: VarOptions): Tensor { return variance(this, dim, opts); }
  std(dim?: Dims | null, opts?: VarOptions): Tensor { return std(this, dim, opts); }
  logSumExp(dim?: Dims | null, opts?: ReduceOptions): Tensor { return logSumExp(this, dim, opts); }
  softmax(dim = -1): Tensor { return softmax(this, dim); }
  logSoftmax(dim = -1): Tensor { return logSoftmax(this, dim); }

  // ---- linear algebra ----
  matmul(o: Tensor): Tensor { return matmul(this, o); }
  mm(o: Tensor): Tensor { return mm(this, o); }
  dot(o: Tensor): Tensor { return dot(this, o); }
  t(): Tensor { return t(this); }

  // ---- views and shape ----
  reshape(shape: readonly number[] | number, ...rest: number[]): Tensor { return reshape(this, shapeArg(shape, rest)); }
  view(shape: readonly number[] | number, ...rest: number[]): Tensor { return viewAs(this, shapeArg(shape, rest)); }
  flatten(start = 0, end = -1): Tensor { return flatten(this, start, end); }
  squeeze(dim?: number | readonly number[]): Tensor { return squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return unsqueeze(this, dim); }
  transpose(d0: number, d1: number): Tensor { return transpose(this, d0, d1); }
  permute(dims: readonly number[] | number, ...rest: number[]): Tensor { return permute(this, shapeArg(dims, rest)); }
  expand(shape: readonly number[] | number, ...rest: number[]): Tensor { return expand(this, shapeArg(shape, rest)); }
  broadcastTo(shape: readonly number[]): Tensor { return expand(this, shape, 'broadcastTo'); }
  expandAs(other: Tensor): Tensor { return expand(this, other.shape); }
  narrow(dim: number, start: number, length: number): Tensor { return narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return select(this, dim, index); }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return slice(this, dim, start, end, step); }
  contiguous(): Tensor { return contiguous(this); }
  isContiguous(): boolean { return isContiguous(this.shape, this.strides); }
  split(sizeOrSizes: number | readonly number[], dim = 0): Tensor[] { return split(this, sizeOrSizes, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return chunk(this, chunks, dim); }
  gather(dim: number, index: Tensor): Tensor { return gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return scatterAdd(this, dim, index, src); }
  indexSelect(dim: number, index: Tensor): Tensor { return indexSelect(this, dim, index); }

  // ---- in place (never recorded; bump the storage version) ----
  add_(o: TensorLike): this { addInPlace(this, o); return this; }
  sub_(o: TensorLike): this { subInPlace(this, o); return this; }
  mul_(o: TensorLike): this { mulInPlace(this, o); return this; }
  div_(o: TensorLike): this { divInPlace(this, o); return this; }
  /** this += alpha * other. */
  addScaled_(other: Tensor, alpha: number): this { addScaledInPlace(this, other, alpha); return this; }
  copy_(src: Tensor): this { copyInPlace(this, src); return this; }
  zero_(): this { fillInPlace(this, 0); return this; }
  fill_(value: number | boolean): this { fillInPlace(this, value); return this; }
}
