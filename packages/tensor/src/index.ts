/** @nabla/tensor: PyTorch-style tensors on any nabla backend (the JS reference backend by default). */
export { Tensor } from './tensor';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint,
  manualSeed, getRngState, setRngState, fromHost, emptyOn,
  type CreateOptions, type TensorOptions, type ShapeArg,
} from './creation';
export * from './ops';
export { cast, clamp, leakyRelu, logSigmoid, where, type TensorLike } from './elementwise';
export {
  sum, mean, prod, max, min, amax, amin, argmax, argmin, maxWithIndices, minWithIndices, variance, std,
  logSumExp, softmax, logSoftmax,
  type Dims, type ReduceOptions, type VarOptions, type ValuesIndices,
} from './reduce';
export { matmul, mm, dot, linear, type LinearOptions } from './linalg';
export {
  reshape, viewAs, contiguous, clone, flatten, squeeze, unsqueeze, permute, transpose, t, expand, slice, narrow, select, detach,
} from './views';
export { cat, stack, split, chunk, gather, scatterAdd, indexSelect, oneHot } from './join';
export { memory, tensorsCreated, type MemoryInfo } from './storage';
export { emptyCache } from './pool';
export { defaultBackend } from './dispatch';
export {
  record, releaseIntermediate, isGradEnabled, setGradEnabled, installAutogradEngine, getAutogradEngine, needsGrad,
  type Node, type AutogradEngine, type BackwardOptions,
} from './graph';
export type { NestedArray, Scalar } from './nested';
export { scope, keep } from './scope-api';
