import type { FusedKernels } from '@nabla/core';
import type { JsStorage } from './storage';
export const fused: Partial<FusedKernels<JsStorage>> = {};
