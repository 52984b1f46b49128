/** @nabla/layers: Module, PyTorch-layout layers, initialisers and state dicts. */
export { Module, parameter, isParameter, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module';
export {
  Sequential, ModuleList, Linear, Embedding, ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Flatten, Dropout,
  type LinearOptions, type EmbeddingOptions,
} from './layers';
export { LayerNorm, BatchNorm1d, BatchNorm2d, type LayerNormOptions, type BatchNormOptions } from './norm';
export { Conv2d, MaxPool2d, AvgPool2d, type Conv2dModuleOptions, type MaxPool2dModuleOptions, type AvgPool2dModuleOptions } from './conv';
export { conv2d, maxPool2d, avgPool2d, type Conv2dOptions, type Pool2dOptions, type AvgPool2dOptions, type Pair } from './functional';
export * as init from './init';
