import type { Linter } from 'eslint';
export function nablaEslint(dir: string): Linter.Config[];
