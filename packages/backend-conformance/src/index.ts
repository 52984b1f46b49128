/** @nabla/backend-conformance: the one test suite every nabla backend runs against @nabla/backend-js. */
export { runConformance, runCase, ALL_CASES } from './suite';
export { Harness, type DataKind, type Result, type Tolerance } from './harness';
export { Rng } from './rng';
export type { Case } from './cases/case';
