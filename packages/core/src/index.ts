/** @nabla/core: the contract every nabla package and backend shares. */
export * from './dtype';
export * from './errors';
export * from './shape';
export * from './ops';
export * from './backend';
export * from './random';
export * from './registry';
