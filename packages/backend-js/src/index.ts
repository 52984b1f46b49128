/** @nabla/backend-js: the reference backend, its scalar semantics and the edge-case table every backend is held to. */
export { createJsBackend, type JsBackend } from './backend';
export type { JsStorage } from './storage';
export * from './scalar';
export * from './edge-cases';
