/**
 * nabla: the whole library behind one import — tensors, autograd, losses, layers, optimizers, data
 * and io — on the fastest backend that works here (native, then wasm, then js; NABLA_BACKEND overrides).
 */
export * from '@nabla/core';
export * from '@nabla/tensor';
export * from '@nabla/autograd';
export * from '@nabla/losses';
export * from '@nabla/layers';
export * from '@nabla/optimizers';
export * from '@nabla/data';
export * from '@nabla/io';
// Names two packages both export: the user-facing one wins; the other stays reachable.
export type { BackwardOptions } from '@nabla/autograd';
export type { SgdOptions, AdamOptions } from '@nabla/optimizers';
export type { LinearOptions } from '@nabla/layers';
export type { LinearOptions as LinearFnOptions } from '@nabla/tensor';
export type { SgdOptions as SgdUpdateOptions, AdamOptions as AdamUpdateOptions } from '@nabla/core';
export { createJsBackend } from '@nabla/backend-js';
export { createWasmBackend, createWasmBackendSync } from '@nabla/backend-wasm';
export { initBackend, useBestBackend, ready, backendInfo, candidates, type InitOptions } from './backends';
export { BACKEND_NAMES, type BackendInfo, type BackendName, type Candidate } from './select';
