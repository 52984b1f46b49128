import type { Options } from 'tsup';
export function nablaTsup(extra?: Partial<Options>): Options;
