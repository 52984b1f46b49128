import { afterEach, describe, expect, it } from 'vitest';
import {
  tensor, ones, zeros, arange, cat, matmul, installAutogradEngine, isGradEnabled, setGradEnabled, record, Tensor, type Node,
} from './index';

const leaf = (x: number[] | number[][]) => tensor(x, { dtype: 'float32', requiresGrad: true });

describe('graph hooks for autograd', () => {
  afterEach(() => setGradEnabled(true));

  it('records differentiable ops with inputs, attrs and saved tensors', () => {
    const x = leaf([1, 2, 3]);
    const y = x.exp();
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn?.op).toBe('exp');
    expect(y.gradFn?.inputs).toEqual([x]);
    expect(y.gradFn?.saved[0]).toBe(y);
    expect(y.gradFn?.savedVersions).toEqual([0, 0]);
    const s = x.sum(0, { keepdim: true });
    expect(s.gradFn?.attrs).toEqual({ dims: [0], keepdim: true, inputShape: [3] });
    expect(x.reshape([3, 1]).gradFn?.attrs).toEqual({ inputShape: [3] });
    expect(x.unsqueeze(0).expand([2, 3]).gradFn?.op).toBe('expand');
    expect(x.slice(0, 1).gradFn?.attrs).toEqual({ dim: 0, start: 1, end: 3, step: 1, inputShape: [3] });
    expect(cat([x, x]).gradFn?.attrs).toEqual({ dim: 0, sizes: [3, 3] });
    expect(x.softmax(0).gradFn?.op).toBe('softmax');
    expect(x.clamp(0, 2).gradFn?.attrs).toEqual({ min: 0, max: 2 });
    expect(x.max(0).gradFn?.op).toBe('max');
    expect(x.amax().gradFn?.op).toBe('amax');
    const m = matmul(x, leaf([[1], [2], [3]]));
    expect(m.gradFn?.op).toBe('reshape'); // 1-D operand: matmul on [1,3] then reshape back
    expect(m.gradFn?.inputs[0].gradFn?.op).toBe('matmul');
  });
  it('records casts on promotion and nothing for non-differentiable ops', () => {
    const x = leaf([1, 2]);
    const y = x.add(tensor([1, 1], { dtype: 'float64' }));
    expect(y.gradFn?.inputs[0].gradFn?.op).toBe('cast');
    expect(x.gt(1).requiresGrad).toBe(false);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.floor().gradFn).toBe(null);
    expect(x.int().requiresGrad).toBe(false);
    expect(ones([2]).exp().gradFn).toBe(null);
  });
  it('respects grad mode', () => {
    const x = leaf([1]);
    expect(isGradEnabled()).toBe(true);
    expect(setGradEnabled(false)).toBe(true);
    expect(x.exp().requiresGrad).toBe(false);
    setGradEnabled(true);
    expect(x.exp().requiresGrad).toBe(true);
  });
  it('requiresGrad, detach, requiresGrad_, retainGrad, grad', () => {
    const x = zeros([2]).requiresGrad_();
    expect(x.requiresGrad).toBe(true);
    const y = x.mul(2);
    expect(() => { y.requiresGrad = false; }).toThrow("[requiresGrad] only leaf tensors can change requiresGrad (this one was made by 'mul')");
    const d = y.detach();
    expect([d.requiresGrad, d.isLeaf, d._store === y._store]).toEqual([false, true, true]);
    expect(y.retainGrad().retainsGrad).toBe(true);
    x.grad = ones([2]);
    x.grad = null;
    expect(x.grad).toBe(null);
  });
  it('backward calls the installed engine, or explains how to get one', () => {
    const x = leaf([1, 2]);
    expect(() => x.sum().backward()).toThrow("[backward] no autograd engine: import '@nabla/autograd' (or 'nabla') to differentiate");
    const calls: unknown[] = [];
    installAutogradEngine({ backward: (root, g, o) => calls.push([root.gradFn?.op, g, o]) });
    x.sum().backward(undefined, { retainGraph: true });
    expect(calls).toEqual([['sum', undefined, { retainGraph: true }]]);
  });
  it('record() is a no-op unless an input requires grad', () => {
    const a = ones([1]);
    const out = a.add(1);
    record('custom', [a], out, { k: 1 });
    expect(out.gradFn).toBe(null);
    const b = leaf([1]);
    const o2 = ones([1]);
    record('custom', [b], o2, { k: 1 });
    expect((o2.gradFn as Node).attrs).toEqual({ k: 1 });
    expect(o2.requiresGrad).toBe(true);
  });
});

describe('in-place ops', () => {
  it('update values, write through views and bump the version', () => {
    const p = arange(4).float();
    p.add_(1).mul_(2).sub_(tensor([1, 1, 1, 1]).float()).div_(2);
    expect(p.toArray()).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(p.version).toBe(4);
    p.addScaled_(ones([4]), -0.5);
    expect(p.toArray()).toEqual([0, 1, 2, 3]);
    const m = zeros([2, 3]);
    m.t().select(0, 1).fill_(7); // a strided view writes into the base
    expect(m.toArray()).toEqual([[0, 7, 0], [0, 7, 0]]);
    m.t().add_(tensor([1, 2]).float()); // broadcast other into a non-contiguous self
    expect(m.toArray()).toEqual([[1, 8, 1], [2, 9, 2]]);
    m.copy_(tensor([5, 6, 7])).zero_();
    expect(m.sum().item()).toBe(0);
  });
  it('refuse what torch refuses', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow('[sub_] a leaf tensor that requires grad cannot be modified in place while grad mode is on');
    setGradEnabled(false);
    w.sub_(1);
    setGradEnabled(true);
    expect(w.toArray()).toEqual([-1, -1]);
    expect(() => tensor([1, 2]).add_(0.5)).toThrow("[add_] result type float32 can't be cast to the in-place tensor's dtype int32");
    expect(() => tensor([1, 2]).div_(2)).toThrow("[div_] true division can't write into an int32 tensor");
    expect(() => zeros([2]).add_(ones([3, 2]))).toThrow('[add_] cannot broadcast other=[3,2] into self=[2] in place');
  });
  it('Tensor is exported for instanceof checks', () => {
    expect(ones([1])).toBeInstanceOf(Tensor);
  });
});
