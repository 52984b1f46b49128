import { describe, expect, it } from 'vitest';
import { gradcheck } from '@nabla/autograd';
import { tensor } from '@nabla/tensor';
import { crossEntropy, nllLoss } from './index';

const f64 = { dtype: 'float64' } as const;
const logits = () => tensor([2, 1, 0.1, 0.5, 2.5, 0.3, -1, 0, 1, 0.2, -0.3, 0.7], { ...f64, shape: [4, 3] });
const labels = () => tensor([0, 1, 2, 2]);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

describe('crossEntropy', () => {
  it('is logsumexp(x) − x[y], averaged', () => {
    const rows = [[2, 1, 0.1], [0.5, 2.5, 0.3], [-1, 0, 1], [0.2, -0.3, 0.7]];
    const ys = [0, 1, 2, 2];
    const want = rows.reduce((s, r, i) => s + Math.log(r.reduce((t, v) => t + Math.exp(v), 0)) - r[ys[i]], 0) / 4;
    expect(crossEntropy(logits(), labels()).item()).toBeCloseTo(want, 12);
  });
  it('equals nllLoss of logSoftmax, for every option', () => {
    const weight = tensor([0.2, 1, 3], f64);
    for (const reduction of REDUCTIONS) {
      const opts = { weight, ignoreIndex: 1, reduction };
      expect(crossEntropy(logits(), labels(), opts).toArray()).toEqual(nllLoss(logits().logSoftmax(1), labels(), opts).toArray());
    }
  });
  it('one-hot probability targets give the same loss as class indices', () => {
    const onehot = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1], { ...f64, shape: [4, 3] });
    expect(crossEntropy(logits(), onehot).item()).toBeCloseTo(crossEntropy(logits(), labels()).item(), 12);
    expect(crossEntropy(logits(), onehot, { labelSmoothing: 0.2 }).item()).toBeCloseTo(crossEntropy(logits(), labels(), { labelSmoothing: 0.2 }).item(), 12);
  });
  it('ignores targets equal to ignoreIndex, in the loss and in the mean', () => {
    const t = tensor([0, -100, 2, -100]);
    const kept = crossEntropy(logits().narrow(0, 0, 3).indexSelect(0, tensor([0, 2])), tensor([0, 2])).item();
    expect(crossEntropy(logits(), t).item()).toBeCloseTo(kept, 12);
    expect((crossEntropy(logits(), t, { reduction: 'none' }).toArray() as number[])[1]).toBe(0);
  });
  it('labelSmoothing with ignored targets and no weight averages over the kept targets (torch 1.13 values)', () => {
    // F.cross_entropy(x, [0, -100, 2, 1], label_smoothing=0.2) in float64, printed by torch 1.13.
    const x = logits().requiresGrad_();
    const loss = crossEntropy(x, tensor([0, -100, 2, 1]), { labelSmoothing: 0.2 });
    loss.backward();
    expect(loss.item()).toBeCloseTo(0.9327463282324273, 14);
    const want = [-0.06922184259356629, 0.05858876801268239, 0.010633074580883833, 0, 0, 0, 0.007787968834571253, 0.05935393479604365, -0.06714190363061495, 0.08017640635061055, -0.22678098114693968, 0.14660457479632907];
    x.grad!.data().forEach((v, i) => expect(v).toBeCloseTo(want[i], 14));
  });
  it('takes [N, C, d1] logits with [N, d1] targets and unbatched [C] with a scalar target', () => {
    const x = logits().reshape([2, 3, 2]);
    const t = tensor([[0, 2], [1, 1]]);
    const perm = x.permute([0, 2, 1]).reshape([4, 3]);
    expect(crossEntropy(x, t, { reduction: 'none' }).shape).toEqual([2, 2]);
    expect(crossEntropy(x, t).item()).toBeCloseTo(crossEntropy(perm, t.reshape([4])).item(), 12);
    expect(crossEntropy(logits().select(0, 1), tensor(1)).item()).toBeCloseTo(crossEntropy(logits().narrow(0, 1, 1), tensor([1])).item(), 12);
  });
  it('passes gradcheck with weight, ignoreIndex, labelSmoothing, every reduction, index and probability targets', () => {
    const weight = tensor([0.2, 1, 3], f64);
    const probs = tensor([0.1, 0.6, 0.3, 1, 0, 0, 0.2, 0.2, 0.6, 0.5, 0.25, 0.25], { ...f64, shape: [4, 3] });
    for (const reduction of REDUCTIONS) {
      const o = { weight, ignoreIndex: 2, labelSmoothing: 0.1, reduction };
      expect(gradcheck((x) => crossEntropy(x, labels(), o), [logits()])).toBe(true);
      expect(gradcheck((x, p) => crossEntropy(x, p, { weight, labelSmoothing: 0.1, reduction }), [logits(), probs])).toBe(true);
      expect(gradcheck((x) => crossEntropy(x, tensor([[0, 2], [1, 1]]), { reduction }), [logits().reshape([2, 3, 2])])).toBe(true);
    }
  });
  it.each(['float32', 'float64'] as const)('logits of ±1e4 give finite losses and gradients (%s)', (dtype) => {
    const x = tensor([1e4, -1e4, 0, -1e4, 1e4, -1e4], { dtype, shape: [2, 3], requiresGrad: true });
    const loss = crossEntropy(x, tensor([1, 0]), { labelSmoothing: 0.1 });
    loss.backward();
    // Row losses 0.9·2e4 + 0.1/3·3e4 and 0.9·2e4 + 0.1/3·4e4 (nll + smoothing), averaged.
    expect(Math.abs(loss.item() / 19166.666666666668 - 1)).toBeLessThan(1e-6);
    expect(Array.from(x.grad!.data()).every(Number.isFinite)).toBe(true);
    const plain = tensor([1e4, -1e4, 0, -1e4, 1e4, -1e4], { dtype, shape: [2, 3] });
    expect(crossEntropy(plain, tensor([0, 1])).item()).toBe(0);
  });
});

describe('nllLoss', () => {
  it("weights the picked log-probabilities and divides 'mean' by the weights used", () => {
    const lp = logits().logSoftmax(1);
    const w = [0.2, 1, 3];
    const picked = (lp.toArray() as number[][]).map((r, i) => r[[0, 1, 2, 2][i]]);
    const want = -picked.reduce((s, v, i) => s + v * w[[0, 1, 2, 2][i]], 0) / (0.2 + 1 + 3 + 3);
    expect(nllLoss(lp, labels(), { weight: tensor(w, f64) }).item()).toBeCloseTo(want, 12);
  });
  it('is NaN when every target is ignored (0/0, as PyTorch)', () => {
    expect(nllLoss(logits(), tensor([-100, -100, -100, -100])).item()).toBeNaN();
  });
  it('passes gradcheck', () => {
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x) => nllLoss(x, tensor([0, -100, 2, 1]), { weight: tensor([0.2, 1, 3], f64), reduction }), [logits()])).toBe(true);
    }
  });
});

describe('bad input names the loss', () => {
  it('class index out of range (ignoreIndex is not)', () => {
    expect(() => crossEntropy(logits(), tensor([0, 3, 1, 1]))).toThrow('[crossEntropy] target 3 at flat index 1 is out of range for 3 classes (expected 0..2 or ignoreIndex -100)');
    expect(() => nllLoss(logits(), tensor([0, -1, 1, 1]))).toThrow('[nllLoss] target -1 at flat index 1 is out of range');
    expect(() => nllLoss(logits(), tensor([0, -1, 1, 1]), { ignoreIndex: -1 })).not.toThrow();
  });
  it('target shape mismatch', () => {
    expect(() => crossEntropy(logits(), tensor([0, 1]))).toThrow('[crossEntropy] target shape [2] does not match input [4,3]: expected [4]');
    expect(() => crossEntropy(logits(), tensor([[0.5, 0.5]], f64))).toThrow("[crossEntropy] probability targets must have the logits' shape: input=[4,3] target=[1,2]");
  });
  it('integer logits', () => {
    expect(() => crossEntropy(tensor([[1, 2]]), tensor([0]))).toThrow('[crossEntropy] expected float logits (float32 or float64), got int32');
  });
  it('bad weight, bool targets, bad smoothing, ignoreIndex with probabilities', () => {
    expect(() => crossEntropy(logits(), labels(), { weight: tensor([1, 2], f64) })).toThrow('[crossEntropy] weight must have shape [3] (one per class), got [2]');
    expect(() => nllLoss(logits(), tensor([true, false, true, true]))).toThrow('[nllLoss] expected int32 class-index targets, got bool');
    expect(() => crossEntropy(logits(), labels(), { labelSmoothing: 1.5 })).toThrow('[crossEntropy] labelSmoothing must be in [0, 1], got 1.5');
    expect(() => crossEntropy(logits(), logits().softmax(1), { ignoreIndex: 0 })).toThrow('[crossEntropy] ignoreIndex (0) is not supported with probability targets');
  });
});
