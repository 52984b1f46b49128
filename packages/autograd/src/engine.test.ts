import { describe, expect, it } from 'vitest';
import { memory, tensor } from '@nabla/tensor';
import { backward, gradients } from './index';
import { expectClose } from './testutil';

describe('backward()', () => {
  it('fills .grad on leaves and accumulates across calls; x.grad = null clears', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true, dtype: 'float32' });
    x.mul(x).sum().backward();
    expectClose(x.grad, [2, 4, 6]);
    x.mul(3).sum().backward();
    expectClose(x.grad, [5, 7, 9]);
    x.grad = null;
    x.sum().backward();
    expectClose(x.grad, [1, 1, 1]);
  });

  it('takes a gradient for non-scalar outputs and refuses to invent one', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true, dtype: 'float32' });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow('[backward] a gradient can be created implicitly only for a single-element output; got shape [2,2]');
    y.backward(tensor([[1, 0], [0, 10]]));
    expectClose(x.grad, [[2, 0], [0, 20]]);
    expect(() => x.mul(2).backward(tensor([1, 2]))).toThrow('[backward] the gradient has shape [2] but the tensor has shape [2,2]');
  });

  it('refuses a tensor outside any graph', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrow('[backward] the tensor does not require grad');
  });

  it('frees the graph after backward unless retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const y = x.exp().sum();
    const node = y.gradFn!;
    y.backward();
    expect(node.inputs).toHaveLength(0);
    expect(node.saved).toHaveLength(0);
    expect(() => y.backward()).toThrow('[backward] trying to backward through the graph a second time (op sum)');

    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expectClose(x.grad, [3 * Math.E, 3 * Math.exp(2)], 1e-6); // e^x once from y, twice from z
  });

  it('createGraph records the backward pass: second derivatives through .grad', () => {
    const x = tensor([0.5, 2], { requiresGrad: true, dtype: 'float64' });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.requiresGrad).toBe(true);
    expectClose(g, [0.75, 12]);
    x.grad = null;
    g.sum().backward();
    expectClose(x.grad, [3, 12]);
  });

  it('sends gradients through shared subexpressions once per use', () => {
    const x = tensor([2], { requiresGrad: true, dtype: 'float32' });
    const h = x.mul(3);
    h.mul(h).add(h).sum().backward(); // d/dx (9x² + 3x) = 18x + 3
    expectClose(x.grad, [39]);
  });

  it('gives every leaf its own contiguous gradient tensor', () => {
    const a = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const b = tensor([3, 4], { requiresGrad: true, dtype: 'float32' });
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    a.grad!.add_(1);
    expectClose(b.grad, [1, 1]);
    const seed = tensor([5, 6], { dtype: 'float32' });
    const c = tensor([0, 0], { requiresGrad: true, dtype: 'float32' });
    c.backward(seed);
    expect(c.grad).not.toBe(seed);
    expectClose(c.grad, [5, 6]);
  });

  it('detach() cuts the graph; requiresGrad_() turns a tensor into a leaf that requires grad', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    const w = tensor([3, 4], { dtype: 'float32' });
    w.requiresGrad_();
    expect(w.isLeaf).toBe(true);
    w.mul(d).sum().backward();
    expectClose(w.grad, [2, 4]);
    expect(x.grad).toBeNull();
  });

  it('retainGrad() keeps the gradient of a non-leaf', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const h = x.mul(3).retainGrad();
    h.square().sum().backward();
    expectClose(h.grad, [6, 12]);
    expectClose(x.grad, [18, 36]);
  });

  it('retainGrad() on the root keeps the implicit seed', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const loss = x.square().sum().retainGrad();
    loss.backward();
    expectClose(loss.grad, 1);
  });

  it('disposes its own temporaries: only the new .grad tensors outlive backward()', () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true, dtype: 'float32' });
    const b = tensor([0.5, -0.5], { requiresGrad: true, dtype: 'float32' });
    const x = tensor([[1, -1], [2, 0.5], [0, 3]], { dtype: 'float32' });
    const loss = x.matmul(w).add(b).relu().square().mean();
    const before = memory().tensors;
    loss.backward();
    // two new .grad tensors, and mean's internal sum (an intermediate only the graph held) released with it
    expect(memory().tensors - before).toBe(2 - 1);
    // and the gradients are right (checked against the composite by hand elsewhere; here: finite, alive)
    expect(w.grad!.disposed).toBe(false);
    expect(b.grad!.toArray()).toHaveLength(2);
  });

  it('the function form backward(t) equals t.backward()', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    backward(x.square().sum());
    expectClose(x.grad, [2, 4]);
  });

  it('gradients() returns gradients without touching .grad, zeros for unused inputs', () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: 'float32' });
    const u = tensor([5], { requiresGrad: true, dtype: 'float32' });
    const [gx, gu] = gradients([x.square().sum()], [x, u]);
    expectClose(gx, [2, 4]);
    expectClose(gu, [0]);
    expect(x.grad).toBeNull();
  });

  it('handles graphs deeper than the call stack', () => {
    const x = tensor([1], { requiresGrad: true, dtype: 'float32' });
    let y = x;
    for (let i = 0; i < 10000; i++) y = y.add(0);
    y.sum().backward();
    expectClose(x.grad, [1]);
  });
});
