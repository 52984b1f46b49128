import { describe, expect, it } from 'vitest';
import { createJsBackend } from './backend';
import { EDGE_CASES, edgeCaseLabel, edgeCaseMatches, evalEdgeCase } from './edge-cases';

const js = createJsBackend();

describe('edge-case table on backend-js', () => {
  it.each(EDGE_CASES.map((row) => [edgeCaseLabel(row), row] as const))('%s', (_label, row) => {
    const got = evalEdgeCase(js, row);
    expect(edgeCaseMatches(row, got), `got ${got}`).toBe(true);
  });

  it('leaves no storage behind', () => {
    const be = createJsBackend();
    for (const row of EDGE_CASES) evalEdgeCase(be, row);
    expect(be.memory?.().buffers).toBe(0);
  });
});
