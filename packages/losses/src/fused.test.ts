import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from '@nabla/autograd';
import { manualSeed, randint, randn, tensor, type Tensor } from '@nabla/tensor';
import { crossEntropyComposite } from './classification';
import { fusedCrossEntropyApplies } from './fused';
import { crossEntropy } from './index';

const close = (a: Tensor, b: Tensor, tol: number) => {
  const x = a.data();
  const y = b.data();
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
};

describe('the fused softmax-cross-entropy fast path agrees with the composite', () => {
  it('is taken on this backend for 2-D contiguous logits only', () => {
    expect(fusedCrossEntropyApplies(randn([4, 3]))).toBe(true);
    expect(fusedCrossEntropyApplies(randn([3, 4]).t())).toBe(false);
    expect(fusedCrossEntropyApplies(randn([2, 3, 4]))).toBe(false);
  });
  it('a non-contiguous view takes the composite and gives the same loss as its contiguous copy', () => {
    const x = randn([3, 4], { dtype: 'float64' }).t();
    const t = tensor([0, 2, 1, 1]);
    expect(crossEntropy(x, t).item()).toBeCloseTo(crossEntropy(x.contiguous(), t).item(), 14);
  });
  it.each([
    ['float32', 1e-6],
    ['float64', 1e-13],
  ] as const)('values and gradients, mean and sum, incl. logits of ±1e4 (%s)', (dtype, tol) => {
    manualSeed(7);
    for (const scale of [1, 30, 1e4]) {
      const x = randn([16, 10], { dtype }).mul(scale);
      const t = randint(0, 10, [16]);
      for (const reduction of ['mean', 'sum'] as const) {
        const f = (l: Tensor) => crossEntropy(l, t, { reduction });
        const g = (l: Tensor) => crossEntropyComposite(l, t, { reduction });
        close(f(x), g(x), tol);
        close(grad(f)(x) as Tensor, grad(g)(x) as Tensor, tol);
        expect(Array.from((grad(f)(x) as Tensor).data()).every(Number.isFinite)).toBe(true);
      }
    }
  });
  it('passes gradcheck, and second derivatives match the composite (createGraph)', () => {
    const x = randn([5, 4], { dtype: 'float64' });
    const t = tensor([0, 3, 1, 1, 2]);
    expect(gradcheck((l) => crossEntropy(l, t), [x])).toBe(true);
    const second = (ce: typeof crossEntropy) => grad((l: Tensor) => (grad((m: Tensor) => ce(m, t))(l) as Tensor).square().sum())(x) as Tensor;
    close(second(crossEntropy), second(crossEntropyComposite), 1e-12);
  });
});
