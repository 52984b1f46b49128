import { defineConfig } from 'vitest/config';
import { nablaVitest } from '@nabla/config/vitest';

export default defineConfig(nablaVitest());
