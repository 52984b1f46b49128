import { describe, expect, it } from 'vitest';
import { gradcheck } from '@nabla/autograd';
import { tensor } from '@nabla/tensor';
import { crossEntropy, entropy, klDiv, klDivergence } from './index';

const f64 = { dtype: 'float64' } as const;
const P = () => tensor([0.5, 0.25, 0.25, 0, 0.1, 0.9], { ...f64, shape: [2, 3] });
const Q = () => tensor([0.2, 0.3, 0.5, 0.3, 0.3, 0.4], { ...f64, shape: [2, 3] });

describe('entropy and klDivergence', () => {
  it('H(P, Q) = H(P) + D_KL(P‖Q): the cross-entropy loss with probability targets is exactly that sum', () => {
    const h = crossEntropy(Q().log(), P(), { reduction: 'none' }).data();
    const sum = entropy(P()).add(klDivergence(P(), Q())).data();
    h.forEach((v, i) => expect(v).toBeCloseTo(sum[i], 14));
  });
  it('uses 0·log 0 = 0: a certain outcome has entropy 0, a fair coin log 2', () => {
    expect(entropy(tensor([0, 1, 0], f64)).item()).toBeCloseTo(0, 15);
    expect(entropy(tensor([0.5, 0.5], f64)).item()).toBeCloseTo(Math.LN2, 15);
  });
  it('D_KL is ≥ 0, 0 only for P = Q, and not symmetric', () => {
    expect(klDivergence(P(), P()).toArray()).toEqual([0, 0]);
    const pq = klDivergence(P(), Q()).data();
    const qp = klDivergence(Q(), P()).data();
    expect(pq.every((v) => v > 0)).toBe(true);
    expect(qp[0]).not.toBeCloseTo(pq[0], 3);
    expect(qp[1]).toBe(Infinity); // Q puts mass where P has none
  });
  it('take dim and keepdim', () => {
    expect(entropy(P(), { dim: 0, keepdim: true }).shape).toEqual([1, 3]);
    expect(klDivergence(P(), Q(), { dim: 0 }).shape).toEqual([3]);
  });
  it('pass gradcheck (strictly positive probabilities)', () => {
    const p = tensor([0.5, 0.25, 0.25, 0.05, 0.15, 0.8], { ...f64, shape: [2, 3] });
    expect(gradcheck((a) => entropy(a), [p])).toBe(true);
    expect(gradcheck((a, b) => klDivergence(a, b), [p, Q()])).toBe(true);
  });
  it('have finite gradients at p = 0', () => {
    const p = tensor([0, 1], { ...f64, requiresGrad: true });
    entropy(p).backward();
    expect(Array.from(p.grad!.data()).every(Number.isFinite)).toBe(true);
  });
  it("klDiv's target gradient at a target of 0 is −input (torch: NaN), as if 0·log 0 were the constant 0", () => {
    const t = tensor([0, 0.5], { ...f64, requiresGrad: true });
    klDiv(tensor([-2, -0.5], f64), t, { reduction: 'sum' }).backward();
    expect(t.grad!.toArray()).toEqual([2, Math.log(0.5) + 1 + 0.5]);
  });
  it('name the function on bad input', () => {
    expect(() => klDivergence(P(), tensor([0.5, 0.5], f64))).toThrow('[klDivergence] p and q shapes differ: p=[2,3] q=[2]');
    expect(() => entropy(tensor([1, 0]))).toThrow('[entropy] expected float probabilities (float32 or float64), got int32');
  });
});

describe('klDiv (PyTorch kl_div: input log Q, target P)', () => {
  it("with 'batchmean' equals the mean of klDivergence over the batch", () => {
    expect(klDiv(Q().log(), P(), { reduction: 'batchmean' }).item()).toBeCloseTo(klDivergence(P(), Q()).mean().item(), 14);
  });
  it('logTarget takes log P and gives the same loss', () => {
    const p = tensor([0.5, 0.25, 0.25, 0.05, 0.15, 0.8], { ...f64, shape: [2, 3] });
    for (const reduction of ['mean', 'batchmean', 'sum', 'none'] as const) {
      const a = klDiv(Q().log(), p, { reduction }).data();
      const b = klDiv(Q().log(), p.log(), { reduction, logTarget: true }).data();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
    }
  });
  it("'mean' divides by every element, 'batchmean' by the batch size", () => {
    const sum = klDiv(Q().log(), P(), { reduction: 'sum' }).item();
    expect(klDiv(Q().log(), P()).item()).toBeCloseTo(sum / 6, 14);
    expect(klDiv(Q().log(), P(), { reduction: 'batchmean' }).item()).toBeCloseTo(sum / 2, 14);
  });
  it('passes gradcheck in input and target', () => {
    const p = tensor([0.5, 0.25, 0.25, 0.05, 0.15, 0.8], { ...f64, shape: [2, 3] });
    for (const reduction of ['mean', 'batchmean', 'sum', 'none'] as const) {
      expect(gradcheck((a, b) => klDiv(a, b, { reduction }), [Q().log(), p])).toBe(true);
      expect(gradcheck((a, b) => klDiv(a, b, { reduction, logTarget: true }), [Q().log(), p.log()])).toBe(true);
    }
  });
  it('rejects an unknown reduction and a mis-shaped target', () => {
    expect(() => klDiv(Q(), P(), { reduction: 'max' as 'sum' })).toThrow("[klDiv] reduction must be one of 'mean', 'batchmean', 'sum', 'none', got 'max'");
    expect(() => klDiv(Q(), tensor([1], f64))).toThrow('[klDiv] input and target shapes differ: input=[2,3] target=[1]');
  });
});
