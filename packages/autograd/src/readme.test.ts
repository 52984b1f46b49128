/** The README's example, run as written. */
import { expect, it } from 'vitest';
import { type Tensor, randn, tensor } from '@nabla/tensor';
import { grad, noGrad } from './index';

it('README example', () => {
  const w = randn([3, 1]).requiresGrad_();
  const x = randn([8, 3]);
  const y = x.matmul(tensor([[1], [-2], [0.5]]));
  const loss = x.matmul(w).sub(y).square().mean();
  loss.backward();
  const before = w.toArray();
  noGrad(() => w.sub_(w.grad!.mul(0.1)));
  expect(w.toArray()).not.toEqual(before);
  const d2 = grad((t: Tensor) => grad((s: Tensor) => s.pow(3).sum())(t).sum())(tensor([1, 2]).float());
  expect(d2.toArray()).toEqual([6, 12]);
});
