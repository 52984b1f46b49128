import { defineConfig } from 'vitest/config';
import { nablaVitest } from '@nabla/config/vitest';

// --expose-gc lets the finalizer test force a collection.
export default defineConfig(nablaVitest({ execArgv: ['--expose-gc'] }));
