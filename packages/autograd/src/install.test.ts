/**
 * Issue item 10: backward() reaches the engine whatever the import order, and every op tensor records
 * has a row in the VJP table. (This file imports @nabla/tensor alone first: vitest isolates test files.)
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { getAutogradEngine, tensor } from '@nabla/tensor';

it('without @nabla/autograd, backward() throws a clear error; importing it later fixes graphs built before', async () => {
  expect(getAutogradEngine()).toBeUndefined();
  const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
  const y = x.square().sum();
  expect(() => y.backward()).toThrow("[backward] no autograd engine: import '@nabla/autograd' (or 'nabla') to differentiate");
  await import('./index');
  y.backward();
  expect(x.grad!.toArray()).toEqual([2, 4]);
});

it('has a VJP row for every op listed in @nabla/tensor GRAPH_OPS.md', async () => {
  const { VJP } = await import('./index');
  const doc = readFileSync(new URL('../../tensor/GRAPH_OPS.md', import.meta.url), 'utf8');
  const ops = new Set<string>();
  for (const line of doc.split('\n')) {
    const first = /^\| `([^|]+)` \|/.exec(line);
    if (!first) continue;
    for (const op of first[1].replace(/`/g, '').split(/\s+/)) if (op) ops.add(op);
  }
  expect(ops.size).toBeGreaterThan(30);
  expect([...ops].filter((op) => !(op in VJP))).toEqual([]);
});
