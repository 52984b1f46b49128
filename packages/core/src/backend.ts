/**
 * The backend contract. A backend owns storage (an opaque handle) and
 * implements the kernels of ops.ts. Every kernel call carries the layout
 * (shape, strides, offset, dtype) of each operand, so views never copy.
 *
 * Conventions every kernel follows:
 * - `out` is contiguous (row-major strides, any offset) unless stated; only
 *   `copy` writes through arbitrary strides.
 * - Inputs are already broadcast to the output shape (stride 0 on expanded dims)
 *   and already cast to the dtype the kernel expects; @nabla/tensor validates
 *   shapes and dtypes before calling, so kernels may assume consistent layouts.
 *   Kernels still check what only they can see (index values) and throw.
 * - Strides and offsets count elements, not bytes.
 */
import type { DType, TypedArray, TypedArrayMap } from './dtype';
import type { ArgReduceOp, BinaryOp, FusedKernelName, KernelName, RandomDistribution, ReduceOp, UnaryOp } from './ops';

export interface View<S = unknown> {
  readonly storage: S;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface Conv2dParams {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

export interface Pool2dParams {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** avgPool2d only: divide by the full window even where it overlaps padding (PyTorch default true). */
  readonly countIncludePad: boolean;
}

/** The primitive kernels. A backend object `satisfies Backend`, so a missing one fails to compile. */
export interface Kernels<S> {
  /** out = op(x); out.dtype === x.dtype. */
  unary(op: UnaryOp, out: View<S>, x: View<S>): void;
  /** out = op(a, b); a, b share a dtype; out is bool for comparisons, else a's dtype. */
  binary(op: BinaryOp, out: View<S>, a: View<S>, b: View<S>): void;
  /** out = cond ? a : b; cond is bool. */
  where(out: View<S>, cond: View<S>, a: View<S>, b: View<S>): void;
  /** Reduces x over `axes` (sorted, unique); out has x's shape with those axes set to 1. */
  reduce(op: ReduceOp, out: View<S>, x: View<S>, axes: readonly number[]): void;
  /** int32 index of the first max/min along `axis`; out has x's shape with that axis set to 1. NaN wins, like PyTorch. */
  argReduce(op: ArgReduceOp, out: View<S>, x: View<S>, axis: number): void;
  /** Converts dtypes: float to int truncates toward zero and saturates, NaN gives 0; to bool is x != 0. */
  cast(out: View<S>, x: View<S>): void;
  /** out = x, both through arbitrary strides, same dtype and shape. */
  copy(out: View<S>, x: View<S>): void;
  /** Batched matmul: a [B,M,K] @ b [B,K,N] -> out [B,M,N]; a and b may have any strides (batch stride 0 broadcasts). */
  matmul(out: View<S>, a: View<S>, b: View<S>): void;
  /** out[..i..] = x[..index[..i..]..] along `dim`; index is int32 with out's shape; x has index's shape except at `dim`. */
  gather(out: View<S>, x: View<S>, dim: number, index: View<S>): void;
  /** In place: out[..index[..i..]..] += src[..i..] along `dim`; index and src share a shape. */
  scatterAdd(out: View<S>, dim: number, index: View<S>, src: View<S>): void;
  /** Fills contiguous float out from the counter-based stream `(seed, counter + i)` (see core's random.ts). */
  fillRandom(out: View<S>, dist: RandomDistribution, seed: number, counter: number): void;
  /** x [N,C,H,W] * w [O,C/g,kh,kw] -> out [N,O,Ho,Wo] (cross-correlation, no bias). */
  conv2d(out: View<S>, x: View<S>, w: View<S>, p: Conv2dParams): void;
  /** dx [N,C,H,W] from dy [N,O,Ho,Wo] and w. */
  conv2dBackwardInput(out: View<S>, dy: View<S>, w: View<S>, p: Conv2dParams): void;
  /** dw [O,C/g,kh,kw] from x and dy. */
  conv2dBackwardWeight(out: View<S>, x: View<S>, dy: View<S>, p: Conv2dParams): void;
  /** out [N,C,Ho,Wo] and indices (int32, flat h*W+w within each plane, as PyTorch) from x [N,C,H,W]; padding is -inf. */
  maxPool2d(out: View<S>, indices: View<S>, x: View<S>, p: Pool2dParams): void;
  avgPool2d(out: View<S>, x: View<S>, p: Pool2dParams): void;
  /** dx [N,C,H,W] from dy [N,C,Ho,Wo]. */
  avgPool2dBackward(out: View<S>, dy: View<S>, p: Pool2dParams): void;
}

export interface SgdOptions {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** False on the first step, when the momentum buffer is initialised to the gradient. */
  readonly hasBuffer: boolean;
}

export interface AdamOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW's decoupled decay when true, L2 added to the gradient when false. */
  readonly decoupled: boolean;
  /** 1-based step count. */
  readonly step: number;
}

/** Optional fused kernels; results must match the composite definitions within float tolerance. */
export interface FusedKernels<S> {
  /** Softmax of contiguous x along its last axis. */
  softmax(out: View<S>, x: View<S>): void;
  logSoftmax(out: View<S>, x: View<S>): void;
  /** Per-row loss [N] of logits x [N,C] against int32 targets [N]; targets are in range. */
  softmaxCrossEntropy(out: View<S>, x: View<S>, target: View<S>): void;
  /** dx [N,C] = (softmax(x) - onehot(target)) * gradLoss[:, None]. */
  softmaxCrossEntropyBackward(out: View<S>, x: View<S>, target: View<S>, gradLoss: View<S>): void;
  /** out = act(x [M,K] @ w[N,K]^T + bias [N]); bias may be null. */
  linear(out: View<S>, x: View<S>, w: View<S>, bias: View<S> | null, activation: 'none' | 'relu'): void;
  /** In-place SGD step on contiguous param/grad/buffer views (PyTorch's update rule). */
  sgdUpdate(param: View<S>, grad: View<S>, momentumBuffer: View<S> | null, o: SgdOptions): void;
  /** In-place Adam/AdamW step (PyTorch's update rule). */
  adamUpdate(param: View<S>, grad: View<S>, m: View<S>, v: View<S>, o: AdamOptions): void;
}

export interface Capabilities {
  /** The dtypes this backend stores and computes; the conformance suite tests exactly these. */
  readonly dtypes: readonly DType[];
  /** Worker threads used for large kernels (1 = single-threaded). */
  readonly threads: number;
  /** SIMD or ISA level in use, for reports ('avx512', 'avx2', 'sse2', 'simd128', 'none'). */
  readonly isa: string;
  /**
   * Storage is owned by the JS heap: an unreachable handle is reclaimed by the garbage collector itself,
   * and free() only returns memory early. Without it (e.g. wasm linear memory) only free() reclaims storage.
   */
  readonly collectable?: boolean;
}

export interface Backend<S = any> {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** A zero-filled storage of `size` elements. */
  alloc(dtype: DType, size: number): S;
  /** Releases storage now; the storage is never used again after this call. */
  free(storage: S): void;
  /** Copies host data into storage at element `offset`. */
  write(storage: S, dtype: DType, offset: number, data: TypedArray): void;
  /** A host copy of `size` contiguous elements starting at element `offset`. */
  read<D extends DType>(storage: S, dtype: D, offset: number, size: number): TypedArrayMap[D];
  readonly kernels: Kernels<S>;
  readonly fused?: Partial<FusedKernels<S>>;
  /** Live storage as the backend counts it. */
  memory?(): { buffers: number; bytes: number };
}

/** Compile-time completeness: the contract's kernel list and the Kernels interface are the same set. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const _kernelListMatchesInterface: Same<KernelName, keyof Kernels<unknown>> = true;
export const _fusedListMatchesInterface: Same<FusedKernelName, keyof FusedKernels<unknown>> = true;
