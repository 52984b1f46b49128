// Shared vitest settings: resolve sibling packages to their sources via the @nabla/source condition.
const conditions = ['@nabla/source', 'module', 'node', 'import', 'default'];

/** @param {Record<string, unknown>} [test] extra vitest `test` options */
export function nablaVitest(test = {}) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@nabla/source'] } },
    test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30000, ...test },
  };
}
