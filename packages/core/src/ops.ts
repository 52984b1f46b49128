/**
 * The primitive op set: everything a backend must compute. Every user op in
 * @nabla/tensor is one of these or a composition of them. Elementwise and
 * reduction ops are families: one kernel per family, the op passed by name.
 */

/** x -> f(x); in and out share a dtype (logicalNot works on bool). */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'reciprocal', 'square', 'sqrt', 'rsqrt',
  'exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tanh', 'erf',
  'sigmoid', 'relu', 'gelu', 'softplus', 'floor', 'ceil', 'round', 'logicalNot',
] as const;

/** (a, b) -> f(a, b) on equal-shaped (broadcast) views of one dtype. */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr',
] as const;

/** Comparison ops write bool whatever their input dtype. */
export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

/** Reductions over a set of axes, keeping them as size-1 dims. */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min'] as const;

/** Reductions to an index along one axis. */
export const ARG_REDUCE_OPS = ['argmax', 'argmin'] as const;

export const RANDOM_DISTRIBUTIONS = ['uniform', 'normal'] as const;

/** The kernels every backend implements: the keys of `Kernels`. */
export const KERNELS = [
  'unary', 'binary', 'where', 'reduce', 'argReduce', 'cast', 'copy', 'matmul',
  'gather', 'scatterAdd', 'fillRandom',
  'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeight',
  'maxPool2d', 'avgPool2d', 'avgPool2dBackward',
] as const;

/** Optional fused kernels; each has a composite fallback in @nabla/tensor. */
export const FUSED_KERNELS = [
  'softmax', 'logSoftmax', 'softmaxCrossEntropy', 'softmaxCrossEntropyBackward',
  'linear', 'sgdUpdate', 'adamUpdate',
] as const;

export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type ReduceOp = (typeof REDUCE_OPS)[number];
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];
export type RandomDistribution = (typeof RANDOM_DISTRIBUTIONS)[number];
export type KernelName = (typeof KERNELS)[number];
export type FusedKernelName = (typeof FUSED_KERNELS)[number];

/** How many primitive ops the contract has (family members counted one by one). */
export const PRIMITIVE_COUNT =
  UNARY_OPS.length + BINARY_OPS.length + REDUCE_OPS.length + ARG_REDUCE_OPS.length + KERNELS.length - 4;

export function isCompareOp(op: BinaryOp): op is CompareOp {
  return (COMPARE_OPS as readonly string[]).includes(op);
}
