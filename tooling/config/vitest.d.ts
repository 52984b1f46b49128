import type { UserConfig } from 'vitest/config';
export function nablaVitest(test?: Record<string, unknown>): UserConfig;
