import { defineConfig } from 'vitest/config';
import { nablaVitest } from '@nabla/config/vitest';

// --expose-gc lets the memory test collect garbage before it reads memory().
export default defineConfig(nablaVitest({ execArgv: ['--expose-gc'] }));
