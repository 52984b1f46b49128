import { describe, expect, it } from 'vitest';
import { gradcheck } from '@nabla/autograd';
import { tensor } from '@nabla/tensor';
import { huberLoss, l1Loss, lpLoss, maeLoss, mseLoss, smoothL1Loss } from './index';

const x = () => tensor([0.5, -1.2, 2.0, 0.3, -0.7, 1.1], { dtype: 'float64', shape: [2, 3] });
const y = () => tensor([0.1, -1.0, 4.0, 0.3, 0.6, -0.4], { dtype: 'float64', shape: [2, 3] });
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

describe('lpLoss is |input − target|^p then the reduction', () => {
  it.each(REDUCTIONS)('p: 2 equals mseLoss and p: 1 equals l1Loss (%s)', (reduction) => {
    expect(lpLoss(x(), y(), { p: 2, reduction }).toArray()).toEqual(mseLoss(x(), y(), { reduction }).toArray());
    expect(lpLoss(x(), y(), { p: 1, reduction }).toArray()).toEqual(l1Loss(x(), y(), { reduction }).toArray());
  });
  it("with reduction 'sum' it is the p-norm to the p: ‖y − ŷ‖₃³", () => {
    const d = [0.4, -0.2, -2, 0, -1.3, 1.5];
    expect(lpLoss(x(), y(), { p: 3, reduction: 'sum' }).item()).toBeCloseTo(d.reduce((s, v) => s + Math.abs(v) ** 3, 0), 12);
  });
  it('rejects p ≤ 0', () => expect(() => lpLoss(x(), y(), { p: 0 })).toThrow('[lpLoss] p must be a finite number > 0, got 0'));
});

describe('gradients', () => {
  it('maeLoss is l1Loss', () => expect(maeLoss).toBe(l1Loss));
  it("l1Loss's gradient at a zero difference is 0 (and ±1/n elsewhere)", () => {
    const a = tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    l1Loss(a, tensor([1, 0, 5])).backward();
    expect(a.grad!.toArray()).toEqual([0, 1 / 3, -1 / 3].map(Math.fround));
  });
  it.each([
    ['mseLoss', mseLoss],
    ['l1Loss', l1Loss],
    ['huberLoss', huberLoss],
    ['smoothL1Loss', smoothL1Loss],
  ] as const)('%s passes gradcheck for every reduction', (_, f) => {
    for (const reduction of REDUCTIONS) expect(gradcheck((a, b) => f(a, b, { reduction }), [x(), y()])).toBe(true);
  });
  it('lpLoss passes gradcheck for p = 1, 1.5, 2, 3', () => {
    for (const p of [1, 1.5, 2, 3]) expect(gradcheck((a, b) => lpLoss(a, b, { p, reduction: 'sum' }), [x(), y()])).toBe(true);
  });
});

describe('huberLoss and smoothL1Loss', () => {
  it('are quadratic inside the threshold and linear outside', () => {
    const d = tensor([0.5, -3, 1, 0], { dtype: 'float64' });
    const zero = tensor([0, 0, 0, 0], { dtype: 'float64' });
    expect(huberLoss(d, zero, { reduction: 'none', delta: 2 }).toArray()).toEqual([0.125, 4, 0.5, 0]);
    expect(smoothL1Loss(d, zero, { reduction: 'none', beta: 2 }).toArray()).toEqual([0.0625, 2, 0.25, 0]);
  });
  it('smoothL1Loss is huberLoss / β, and β = 0 is l1Loss', () => {
    const h = huberLoss(x(), y(), { delta: 0.5, reduction: 'none' }).div(0.5).toArray() as number[][];
    const s = smoothL1Loss(x(), y(), { beta: 0.5, reduction: 'none' }).toArray() as number[][];
    s.flat().forEach((v, i) => expect(v).toBeCloseTo(h.flat()[i], 12));
    expect(smoothL1Loss(x(), y(), { beta: 0 }).item()).toBe(l1Loss(x(), y()).item());
  });
  it('reject a bad threshold', () => {
    expect(() => huberLoss(x(), y(), { delta: 0 })).toThrow('[huberLoss] delta must be > 0, got 0');
    expect(() => smoothL1Loss(x(), y(), { beta: -1 })).toThrow('[smoothL1Loss] beta must be >= 0, got -1');
  });
});

describe('bad input names the loss', () => {
  it('shape mismatch', () => {
    expect(() => mseLoss(x(), tensor([1, 2, 3]))).toThrow('[mseLoss] input and target shapes differ: input=[2,3] target=[3]');
  });
  it('integer input', () => {
    expect(() => l1Loss(tensor([1, 2]), tensor([1, 2]))).toThrow('[l1Loss] expected float input (float32 or float64), got int32');
  });
  it('unknown reduction', () => {
    expect(() => mseLoss(x(), y(), { reduction: 'avg' as 'mean' })).toThrow("[mseLoss] reduction must be one of 'mean', 'sum', 'none', got 'avg'");
  });
});
