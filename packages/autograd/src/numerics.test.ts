/** The numerics policy, point by point (issue item 7). */
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor, where } from '@nabla/tensor';
import { grad } from './index';
import { expectClose, values } from './testutil';

const at = (data: number[], f: (x: Tensor) => Tensor): number[] =>
  values(grad((x: Tensor) => f(x).sum())(tensor(data, { dtype: 'float64' })));

describe('numerics policy', () => {
  it('d|x|/dx = 0 at 0, ±1 elsewhere', () => {
    expect(at([-2, 0, 3], (x) => x.abs())).toEqual([-1, 0, 1]);
  });

  it("relu'(0) = 0", () => {
    expect(at([-1, 0, 2], (x) => x.relu())).toEqual([0, 0, 1]);
  });

  it('clamp passes the gradient on the closed interval, as PyTorch', () => {
    expect(at([-2, -1, 0, 1, 2], (x) => x.clamp(-1, 1))).toEqual([0, 1, 1, 1, 0]);
  });

  it('amax/amin/max() share the gradient evenly among ties, as PyTorch', () => {
    expect(at([1, 3, 3, 2], (x) => x.amax())).toEqual([0, 0.5, 0.5, 0]);
    expect(at([1, 3, 3, 3], (x) => x.max())).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    expect(at([1, 1, 2, 5, 5, 5], (x) => x.reshape([2, 3]).amin(1))).toEqual([0.5, 0.5, 0, 1 / 3, 1 / 3, 1 / 3]);
  });

  it('max(dim)/min(dim) give the gradient to the selected (first) index only, as PyTorch', () => {
    expect(at([3, 3, 1, 0, 2, 2], (x) => x.reshape([2, 3]).max(1))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(at([3, 1, 1], (x) => x.min(0))).toEqual([0, 1, 0]);
  });

  it('maximum/minimum split the gradient in half at ties, as PyTorch', () => {
    const g = grad((a: Tensor, b: Tensor) => a.maximum(b).sum(), { argnums: [0, 1] })(tensor([1, 2, 3], { dtype: 'float64' }), tensor([1, 5, 0], { dtype: 'float64' }));
    expect(values(g[0])).toEqual([0.5, 0, 1]);
    expect(values(g[1])).toEqual([0.5, 1, 0]);
  });

  it('no NaN from the untaken branch of where: where(x > 0, sqrt(x), 0) (PyTorch gives NaN here)', () => {
    expect(at([-4, 0, 4], (x) => where(x.gt(0), x.sqrt(), 0))).toEqual([0, 0, 0.25]);
    expect(at([-1, 0, Math.E], (x) => where(x.gt(0), x.log(), 0))).toEqual([0, 0, 1 / Math.E]);
    expect(at([0, 2], (x) => where(x.ne(0), x.reciprocal(), 0))).toEqual([0, -0.25]);
    expect(at([0, 4], (x) => where(x.gt(0), x.rsqrt(), 1))).toEqual([0, -1 / 16]);
    expect(at([-1, 0, 3], (x) => where(x.gt(-1), x.log1p(), 0))).toEqual([0, 1, 0.25]);
    expect(at([0, 2], (x) => where(x.gt(0), tensor(1, { dtype: 'float64' }).div(x), 0))).toEqual([0, -0.25]);
    expect(at([-8, 4], (x) => where(x.gt(0), x.pow(0.5), 0))).toEqual([0, 0.25]);
  });

  it('a gradient that really is infinite stays infinite (zero-wins only rescues zero gradients)', () => {
    expect(at([0], (x) => x.sqrt())).toEqual([Infinity]);
    expect(at([0], (x) => x.log())[0]).toBe(Infinity);
  });

  it('pow: d(x^0)/dx = 0 and d(0^b)/db = 0 for b >= 0, as PyTorch', () => {
    expect(at([0, 2], (x) => x.pow(0))).toEqual([0, 0]);
    const gb = grad((b: Tensor) => tensor([0, 0], { dtype: 'float64' }).pow(b).sum())(tensor([0, 2], { dtype: 'float64' }));
    expect(values(gb)).toEqual([0, 0]);
  });

  it('softmax and logSoftmax gradients stay finite for huge logits', () => {
    const x = tensor([[1e4, -1e4, 0]], { dtype: 'float32' });
    const g = grad((y: Tensor) => y.logSoftmax(-1).select(1, 1).sum())(x);
    expectClose(g, [[-1, 1, 0]]);
    const s = grad((y: Tensor) => y.softmax(-1).select(1, 0).sum())(x);
    expect(values(s).every(Number.isFinite)).toBe(true);
  });
});
