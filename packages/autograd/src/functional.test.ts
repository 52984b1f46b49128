import { describe, expect, it } from 'vitest';
import { type Tensor, isGradEnabled, tensor } from '@nabla/tensor';
import { enableGrad, grad, noGrad, valueAndGrad } from './index';
import { expectClose } from './testutil';

const f64 = (data: number[]): Tensor => tensor(data, { dtype: 'float64' });

describe('grad / valueAndGrad', () => {
  const cube = (x: Tensor): Tensor => x.pow(3).sum();

  it('grad(f) is the gradient function; the argument is left alone', () => {
    const x = f64([1, 2]);
    expectClose(grad(cube)(x), [3, 12]);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('composes: grad(x => grad(f)(x).sum()) gives second derivatives, and third', () => {
    const x = f64([1, 2]);
    const d2 = (y: Tensor): Tensor => grad(cube)(y).sum();
    expectClose(grad(d2)(x), [6, 12]);
    expectClose(grad((y: Tensor) => grad(d2)(y).sum())(x), [6, 6]);
    expectClose(grad((y: Tensor) => grad((z: Tensor) => z.sin().sum())(y).sum())(x), [-Math.sin(1), -Math.sin(2)], 1e-12);
  });

  it('differentiates several arguments with argnums', () => {
    const f = (a: Tensor, b: Tensor): Tensor => a.mul(b).add(b.square()).sum();
    const [ga, gb] = grad(f, { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    expectClose(ga, [3, 4]);
    expectClose(gb, [7, 10]);
    expectClose(grad(f, { argnums: 1 })(f64([1, 2]), f64([3, 4])), [7, 10]);
    expect(() => grad(f, { argnums: 2 })(f64([1]), f64([1]))).toThrow('[grad] argnums 2 out of range for 2 argument(s)');
  });

  it('valueAndGrad returns the value too, detached at top level', () => {
    const [v, g] = valueAndGrad(cube)(f64([1, 2]));
    expectClose(v, 9);
    expect(v.requiresGrad).toBe(false);
    expectClose(g, [3, 12]);
  });

  it('gives zeros for an argument the function ignores, and rejects non-scalar results', () => {
    expectClose(grad((_x: Tensor, y: Tensor) => y.sum())(f64([1, 2]), f64([3])), [0, 0]);
    expect(() => grad((x: Tensor) => x.mul(2))(f64([1, 2]))).toThrow('[grad] the function must return a single-element tensor, got shape [2]');
  });

  it('works on tensors that require grad without touching their .grad, keeping the result differentiable', () => {
    const w = tensor([1, 2], { requiresGrad: true, dtype: 'float64' });
    const g = grad((p: Tensor) => p.pow(3).sum())(w);
    expectClose(g, [3, 12]);
    expect(w.grad).toBeNull();
    g.sum().backward();
    expectClose(w.grad, [6, 12]);
    const plain = grad((p: Tensor) => p.square().sum(), { createGraph: false })(w);
    expect(plain.requiresGrad).toBe(false);
  });

  it('works inside noGrad', () => {
    expectClose(noGrad(() => grad(cube)(f64([2]))), [12]);
  });
});

describe('noGrad / enableGrad', () => {
  const w = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });

  it('records nothing inside noGrad and restores the mode afterwards, even on throw', () => {
    const y = noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('keeps the mode across await in an async callback', async () => {
    const y = await noGrad(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return w.mul(2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
    await expect(noGrad(async () => { await Promise.resolve(); throw new Error('late'); })).rejects.toThrow('late');
    expect(isGradEnabled()).toBe(true);
  });

  it('has a scope form for `using` blocks', async () => {
    {
      using _scope = noGrad();
      await Promise.resolve();
      expect(w.mul(2).requiresGrad).toBe(false);
    }
    expect(isGradEnabled()).toBe(true);
    expect(w.mul(2).requiresGrad).toBe(true);
  });

  it('enableGrad turns recording back on inside noGrad', () => {
    const y = noGrad(() => enableGrad(() => w.mul(2)));
    expect(y.requiresGrad).toBe(true);
    expect(isGradEnabled()).toBe(true);
  });
});
