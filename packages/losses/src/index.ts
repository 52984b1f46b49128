/** @nabla/losses: loss functions with PyTorch semantics, pure functions of tensors ending in one shared reduction. */
export { reduce, type Reduction } from './reduce';
export { crossEntropy, nllLoss, type CrossEntropyOptions, type NllLossOptions } from './classification';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './binary';
export {
  mseLoss,
  l1Loss,
  maeLoss,
  lpLoss,
  huberLoss,
  smoothL1Loss,
  type RegressionOptions,
  type LpLossOptions,
  type HuberOptions,
  type SmoothL1Options,
} from './regression';
export { klDiv, entropy, klDivergence, type KlDivOptions, type DistributionOptions } from './divergence';
