// One flat eslint config for every package; rules that enforce the architecture live here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** @param {string} dir the package folder (import.meta.dirname of its eslint.config.js) */
export function nablaEslint(dir) {
  return tseslint.config(
    { ignores: ['dist/**', 'build/**', 'node_modules/**', '**/*.d.ts', 'coverage/**', 'wasm/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dir } },
      rules: {
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/no-explicit-any': 'off',
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['@nabla/*/src', '@nabla/*/src/*', '@nabla/*/dist', '@nabla/*/dist/*'], message: 'Import a sibling package by its entry point, never its src/ or dist/.' },
              { group: ['../../*', '../../../*'], message: 'No relative imports across package boundaries; depend on the package instead.' },
            ],
          },
        ],
      },
    },
    {
      files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
      languageOptions: {
        globals: Object.fromEntries(
          ['process', 'console', 'require', '__dirname', 'URL', 'TextEncoder', 'TextDecoder', 'Buffer', 'performance', 'setTimeout', 'clearTimeout', 'globalThis', 'structuredClone', 'WebAssembly', 'fetch']
            .map((g) => [g, 'readonly']).concat([['module', 'writable']]),
        ),
      },
    },
  );
}
