// Shared tsup settings: ESM + CJS + .d.ts from src/index.ts.
/** @param {Partial<import('tsup').Options>} [extra] */
export function nablaTsup(extra = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...extra,
  };
}
