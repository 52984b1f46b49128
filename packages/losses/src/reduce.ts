/** The one reduction every loss ends in, plus the checks the losses share. */
import { NablaError, fmtShape, isFloating, shapesEqual } from '@nabla/core';
import type { Tensor } from '@nabla/tensor';

/** How a loss folds its per-element values: PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly string[] = ['mean', 'sum', 'none'] satisfies Reduction[];

/**
 * Folds per-element losses: `'none'` returns them as they are, `'sum'` adds them,
 * `'mean'` divides the sum by `denominator` (default: the element count). Weighted
 * losses pass the sum of the weights as the denominator, as PyTorch does, so a
 * weighted mean is a true weighted average.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { reduce } from '@nabla/losses';
 * reduce(tensor([1.5, 2, 2.5]), 'mean').item(); // 2
 * reduce(tensor([1.5, 2, 2.5]), 'mean', 2).item(); // 3
 */
export function reduce(loss: Tensor, reduction: Reduction = 'mean', denominator?: Tensor | number): Tensor {
  switch (reduction) {
    case 'none':
      return loss;
    case 'sum':
      return loss.sum();
    case 'mean':
      return denominator === undefined ? loss.mean() : loss.sum().div(denominator);
    default:
      throw new NablaError('reduce', `reduction must be one of ${REDUCTIONS.join(', ')}, got '${String(reduction)}'`);
  }
}

/** Throws unless `reduction` is one the loss accepts (checked before any work). */
export function checkReduction(op: string, reduction: string, allowed: readonly string[] = REDUCTIONS): void {
  if (!allowed.includes(reduction)) {
    throw new NablaError(op, `reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`);
  }
}

/** Losses are defined on real numbers: integer or bool inputs are a caller bug, not something to cast silently. */
export function checkFloat(op: string, what: string, t: Tensor): void {
  if (!isFloating(t.dtype)) throw new NablaError(op, `expected float ${what} (float32 or float64), got ${t.dtype}`);
}

/** Elementwise losses compare like with like: no silent broadcasting of a mis-shaped target. */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new NablaError(op, `input and target shapes differ: input=${fmtShape(input.shape)} target=${fmtShape(target.shape)}`);
  }
}
