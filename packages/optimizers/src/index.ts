/** @nabla/optimizers: PyTorch's optimizers, learning-rate schedulers and gradient clipping. */
export { Optimizer, type ParamGroup, type ParamState, type ParamsInput, type OptimizerStateDict } from './optimizer';
export { SGD, type SgdOptions } from './sgd';
export { Adam, AdamW, type AdamOptions } from './adam';
export { RMSprop, type RmspropOptions } from './rmsprop';
export { Adagrad, type AdagradOptions } from './adagrad';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from './schedulers';
export { clipGradNorm, clipGradValue } from './clip';
