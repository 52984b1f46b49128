// The README example, kept runnable.
import { expect, it } from 'vitest';
import { tensor, randn, manualSeed, memory, scope } from './index';

it('README example runs', () => {
  manualSeed(0);
  const a = randn([2, 3, 4]);
  const b = tensor([[1, 0], [0, 1], [1, 1], [2, 0]]).float();
  const y = a.matmul(b).relu().sum(-1, { keepdim: true });
  expect(y.toString()).toMatch(/^tensor\(\[\[\[/);
  expect(a.transpose(0, 2).shape).toEqual([4, 3, 2]);
  (a.softmax(-1).sum(-1).toArray() as number[][]).flat().forEach((v) => expect(v).toBeCloseTo(1, 6));
  const before = memory().tensors;
  const z = scope(() => a.mul(2).add(1).mean());
  expect(typeof z.item()).toBe('number');
  expect(memory().tensors).toBe(before + 1);
});
