/** runConformance: registers vitest blocks that hold a backend to backend-js, kernel by kernel. */
import { describe, expect, it, beforeAll } from 'vitest';
import { ARRAY_TYPES, type Backend, type DType } from '@nabla/core';
import { EDGE_CASES, createJsBackend, edgeCaseLabel, edgeCaseMatches, evalEdgeCase } from '@nabla/backend-js';
import { mismatch } from './compare';
import { Harness } from './harness';
import { Rng } from './rng';
import type { Case } from './cases/case';
import { elementwiseCases } from './cases/elementwise';
import { reduceCasesAll } from './cases/reduce';
import { badIndexThrows, linalgCases } from './cases/linalg';
import { spatialCases } from './cases/spatial';
import { fusedCases } from './cases/fused';
import { largeCases } from './cases/large';

export const ALL_CASES: readonly Case[] = [...elementwiseCases, ...reduceCasesAll, ...linalgCases, ...spatialCases, ...fusedCases, ...largeCases];

/** A stable 32-bit seed per case name, so a failure reproduces on its own. */
function seedOf(name: string, trial: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h + Math.imul(trial, 0x9e3779b9)) >>> 0;
}

/** Runs one case on the reference and on `backend` with the same draws; returns the mismatches. */
export function runCase(ref: Backend, backend: Backend, c: Case, trial: number): string[] {
  const seed = seedOf(c.name, trial);
  const want = new Harness(ref);
  const got = new Harness(backend);
  try {
    c.run(want, new Rng(seed));
    c.run(got, new Rng(seed));
    const problems: string[] = [];
    if (want.results.length !== got.results.length) problems.push(`recorded ${got.results.length} results, expected ${want.results.length}`);
    want.results.forEach((w, i) => {
      const m = got.results[i] ? mismatch(w, got.results[i]) : null;
      if (m) problems.push(`trial ${trial} (seed ${seed}) ${m}`);
    });
    return problems;
  } finally {
    want.dispose();
    got.dispose();
  }
}

/**
 * Registers the conformance suite for one backend: every kernel and every fused
 * kernel it provides, on every dtype it declares, against @nabla/backend-js; then
 * the edge-case table, index checks and storage accounting. Cases for dtypes the
 * backend does not declare are skipped (by capability, never by name).
 * @example
 * // src/conformance.test.ts of a backend package
 * import { runConformance } from '@nabla/backend-conformance';
 * import { createMyBackend } from './index';
 * runConformance('mine', () => createMyBackend());
 */
export function runConformance(name: string, make: () => Backend | Promise<Backend>): void {
  describe(`conformance: ${name}`, () => {
    let backend: Backend;
    const ref = createJsBackend();
    beforeAll(async () => {
      backend = await make();
    });
    const declares = (dtypes: readonly DType[]) => dtypes.every((d) => backend.capabilities.dtypes.includes(d));

    describe('storage', () => {
      it('write and read round-trip every declared dtype at an offset', () => {
        for (const dtype of backend.capabilities.dtypes) {
          const s = backend.alloc(dtype, 6);
          const data = ARRAY_TYPES[dtype].from(dtype === 'bool' ? [1, 0, 1] : [-2.5, 7, 1e6]);
          backend.write(s, dtype, 2, data);
          const back = Array.from(backend.read(s, dtype, 0, 6));
          expect(back, dtype).toEqual([0, 0, ...Array.from(data), 0]);
          backend.free(s);
        }
      });
      it('memory() counts alloc and free once', () => {
        if (!backend.memory) return;
        const before = backend.memory();
        const s = backend.alloc('float32', 10);
        expect(backend.memory().buffers).toBe(before.buffers + 1);
        expect(backend.memory().bytes).toBeGreaterThanOrEqual(before.bytes + 40);
        backend.free(s);
        backend.free(s);
        expect(backend.memory()).toEqual(before);
      });
    });

    describe('kernels against backend-js', () => {
      for (const c of ALL_CASES) {
        it(c.name, (ctx) => {
          if (!declares(c.dtypes) || (c.fused && !backend.fused?.[c.fused])) {
            ctx.skip();
            return;
          }
          const problems: string[] = [];
          for (let t = 0; t < c.trials; t++) problems.push(...runCase(ref, backend, c, t));
          expect(problems.join('\n\n')).toBe('');
        });
      }
      for (const kernel of ['gather', 'scatterAdd'] as const) {
        it(`${kernel} rejects an out-of-range index`, (ctx) => {
          if (!declares(['float32', 'int32'])) return ctx.skip();
          const h = new Harness(backend);
          try {
            const message = badIndexThrows(h, new Rng(seedOf(kernel, 0)), kernel);
            expect(String(message)).toMatch(new RegExp(`^\\[${kernel}\\] index -?\\d+ out of range for dim 1 of size 5$`));
          } finally {
            h.dispose();
          }
        });
      }
    });

    describe('edge-case table', () => {
      for (const row of EDGE_CASES) {
        it(edgeCaseLabel(row), (ctx) => {
          const needs: DType[] = row.kind === 'cast' ? [row.dtype, row.to] : [row.dtype];
          if (!declares(needs)) return ctx.skip();
          const got = evalEdgeCase(backend, row);
          expect(edgeCaseMatches(row, got), `got ${got}, expected ${row.expected}`).toBe(true);
        });
      }
    });
  });
}
