import { runConformance } from '@nabla/backend-conformance';
import { createWasmBackend } from './index';

runConformance('wasm', () => createWasmBackend());
