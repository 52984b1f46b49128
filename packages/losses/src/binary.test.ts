import { describe, expect, it } from 'vitest';
import { gradcheck } from '@nabla/autograd';
import { tensor } from '@nabla/tensor';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './index';

const f64 = { dtype: 'float64' } as const;
const probs = () => tensor([0.9, 0.2, 0.5, 0.01, 0.7, 0.35], { ...f64, shape: [2, 3] });
const logits = () => tensor([2.1, -1.3, 0, -4, 0.8, -0.6], { ...f64, shape: [2, 3] });
const targets = () => tensor([1, 0, 0.3, 1, 0, 0.5], { ...f64, shape: [2, 3] });
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

describe('binaryCrossEntropy', () => {
  it('is −[y log p + (1 − y) log(1 − p)]', () => {
    expect(binaryCrossEntropy(tensor([0.9, 0.2], f64), tensor([1, 0], f64)).item()).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 14);
  });
  it('clamps each log at −100, so p exactly 0 or 1 gives 100 per wrong element, 0 per right one', () => {
    const p = tensor([0, 1, 0, 1], { dtype: 'float32', requiresGrad: true });
    const loss = binaryCrossEntropy(p, tensor([1, 0, 0, 1], { dtype: 'float32' }), { reduction: 'none' });
    expect(loss.toArray()).toEqual([100, 100, 0, 0]);
    loss.sum().backward();
    // PyTorch's gradient (p − y)/max(p(1 − p), 1e-12): large but finite where the prediction is saturated and wrong.
    expect(p.grad!.toArray()).toEqual([-1e12, 1e12, 0, 0].map(Math.fround));
  });
  it('equals the with-logits form on sigmoid(x)', () => {
    const w = tensor([0.5, 2, 1], f64);
    for (const reduction of REDUCTIONS) {
      const a = binaryCrossEntropy(logits().sigmoid(), targets(), { weight: w, reduction }).data();
      const b = binaryCrossEntropyWithLogits(logits(), targets(), { weight: w, reduction }).data();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
    }
  });
  it('passes gradcheck (input and target, with weight, every reduction)', () => {
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((p, y) => binaryCrossEntropy(p, y, { weight: tensor([0.5, 2, 1], f64), reduction }), [probs(), targets()])).toBe(true);
    }
  });
  it('rejects probabilities outside [0, 1] (and NaN), naming the loss', () => {
    expect(() => binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1]))).toThrow('[binaryCrossEntropy] input must hold probabilities in [0, 1], got 1.5 at flat index 1 of [2]');
    expect(() => binaryCrossEntropy(tensor([Number.NaN]), tensor([0]))).toThrow('[binaryCrossEntropy] input must hold probabilities in [0, 1], got NaN');
  });
  it('rejects shape mismatches and weights that do not broadcast', () => {
    expect(() => binaryCrossEntropy(probs(), tensor([1, 0, 1], f64))).toThrow('[binaryCrossEntropy] input and target shapes differ: input=[2,3] target=[3]');
    expect(() => binaryCrossEntropy(probs(), targets(), { weight: tensor([1, 2], f64) })).toThrow('[binaryCrossEntropy] shapes cannot be broadcast together');
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  it('is max(x, 0) − x·y + log(1 + e^−|x|)', () => {
    const x = [2.1, -1.3, 0, -4, 0.8, -0.6];
    const y = [1, 0, 0.3, 1, 0, 0.5];
    const want = x.map((v, i) => Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v))));
    const got = binaryCrossEntropyWithLogits(logits(), targets(), { reduction: 'none' }).data();
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 14));
  });
  it('at x = 0 the gradient is σ(0) − y (no kink from max/abs)', () => {
    const x = tensor([0, 0], { ...f64, requiresGrad: true });
    binaryCrossEntropyWithLogits(x, tensor([1, 0.25], f64), { reduction: 'sum' }).backward();
    expect(x.grad!.toArray()).toEqual([-0.5, 0.25]);
  });
  it('posWeight scales the positive term: (1 − y)x + (1 + (pw − 1)y)·softplus(−x)', () => {
    const pw = tensor([1, 2, 3], f64);
    const got = binaryCrossEntropyWithLogits(logits(), targets(), { posWeight: pw, reduction: 'none' }).data();
    const x = logits().data();
    const y = targets().data();
    got.forEach((v, i) => {
      const lw = 1 + ([1, 2, 3][i % 3] - 1) * y[i];
      expect(v).toBeCloseTo((1 - y[i]) * x[i] + lw * Math.log1p(Math.exp(-x[i])), 12);
    });
  });
  it.each(['float32', 'float64'] as const)('logits of ±1e4 give finite losses and gradients (%s)', (dtype) => {
    const x = tensor([1e4, -1e4, 1e4, -1e4], { dtype, requiresGrad: true });
    const loss = binaryCrossEntropyWithLogits(x, tensor([1, 0, 0, 1], { dtype }), { reduction: 'none', posWeight: tensor([2], { dtype }) });
    expect(loss.toArray()).toEqual([0, 0, 1e4, 2e4]);
    loss.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1, -2]);
  });
  it('passes gradcheck (input and target, with weight and posWeight, every reduction)', () => {
    const o = { weight: tensor([0.5, 2, 1], f64), posWeight: tensor([1, 3, 0.5], f64) };
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x, y) => binaryCrossEntropyWithLogits(x, y, { ...o, reduction }), [logits(), targets()])).toBe(true);
    }
  });
  it('rejects integer logits and a posWeight that does not broadcast', () => {
    expect(() => binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([1, 0]))).toThrow('[binaryCrossEntropyWithLogits] expected float input (logits) (float32 or float64), got int32');
    expect(() => binaryCrossEntropyWithLogits(logits(), targets(), { posWeight: tensor([1, 2], f64) })).toThrow('[binaryCrossEntropyWithLogits] shapes cannot be broadcast together');
  });
});
