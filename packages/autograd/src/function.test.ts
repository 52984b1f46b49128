import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '@nabla/tensor';
import { defineFunction, gradcheck, noGrad } from './index';
import { expectClose } from './testutil';

const myExp = defineFunction({
  name: 'exp',
  forward(ctx, x: Tensor) {
    const y = x.exp();
    ctx.save(y);
    return y;
  },
  backward(ctx, g) {
    return g.mul(ctx.saved[0]);
  },
});

describe('defineFunction', () => {
  it('records one node and uses the hand-written backward', () => {
    const x = tensor([0, 1], { requiresGrad: true, dtype: 'float32' });
    const y = myExp(x);
    expect(y.gradFn?.op).toBe('custom');
    y.sum().backward();
    expectClose(x.grad, [1, Math.E], 1e-6);
  });

  it('passes gradcheck and supports grad of grad when backward uses tensor ops', () => {
    const x = tensor([0.3, -1.2], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a) => myExp(a), [x])).toBe(true);
    const y = myExp(x).sum();
    y.backward(undefined, { createGraph: true });
    const g = x.grad!;
    x.grad = null;
    g.sum().backward();
    expectClose(x.grad, [Math.exp(0.3), Math.exp(-1.2)], 1e-12);
  });

  it('throws when a tensor saved for backward was modified in place', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const y = myExp(x);
    noGrad(() => y.add_(1)); // in-place ops on graph tensors are only allowed with recording off
    expect(() => y.sum().backward()).toThrow('[backward] a tensor saved for backward was modified in place (op exp, version 0 → 1)');
  });

  it('built-in ops check what they saved too', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const h = x.mul(1);
    const y = h.sqrt();
    y.detach().mul_(2); // a detached view shares the storage, so the version moves too
    expect(() => y.sum().backward()).toThrow('[backward] a tensor saved for backward was modified in place (op sqrt, version 0 → 1)');
    const a = x.mul(1);
    const z = a.mul(x);
    noGrad(() => a.add_(1));
    expect(() => z.sum().backward()).toThrow('(op mul, version 0 → 1)');
  });

  it('handles several outputs and non-tensor arguments', () => {
    const scaledPair = defineFunction({
      forward(ctx, x: Tensor, k: number) {
        ctx.k = k;
        return [x.mul(k), x.mul(2 * k)];
      },
      backward(ctx, g1, g2) {
        const k = ctx.k as number;
        return [g1.mul(k).add(g2.mul(2 * k)), null];
      },
    });
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const [a, b] = scaledPair(x, 3);
    a.sum().add(b.mul(10).sum()).backward();
    expectClose(x.grad, [63, 63]);
  });

  it('does not record when no input requires grad', () => {
    const y = myExp(tensor([1]));
    expect(y.requiresGrad).toBe(false);
  });
});
