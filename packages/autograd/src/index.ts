/** @nabla/autograd: reverse-mode automatic differentiation for @nabla/tensor. */
import './engine-install';

export { backward, gradients, type BackwardOptions } from './engine';
export { grad, valueAndGrad, type GradOptions } from './functional';
export { noGrad, enableGrad, type GradModeScope } from './mode';
export { defineFunction, type FunctionContext, type FunctionDefinition } from './function';
export { gradcheck, type GradcheckOptions } from './gradcheck';
export { VJP } from './vjp';
export { sumToShape } from './helpers';
