/** Regression losses on a difference d = input − target: squared, absolute, p-th power, Huber, smooth L1. */
import { NablaError } from '@nabla/core';
import { where, type Tensor } from '@nabla/tensor';
import { checkFloat, checkReduction, checkSameShape, reduce, type Reduction } from './reduce';

export interface RegressionOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Shared entry checks; returns d = input − target. */
function difference(op: string, input: Tensor, target: Tensor, reduction: string): Tensor {
  checkReduction(op, reduction);
  checkFloat(op, 'input', input);
  checkSameShape(op, input, target);
  return input.sub(target);
}

/**
 * Mean squared error: ℓᵢ = (ŷᵢ − yᵢ)², then the reduction.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { mseLoss } from '@nabla/losses';
 * mseLoss(tensor([1.5, 2, 3]), tensor([1.5, 2, 5])).item(); // 4/3 ≈ 1.3333
 */
export function mseLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: RegressionOptions = {}): Tensor {
  return reduce(difference('mseLoss', input, target, reduction).square(), reduction);
}

/**
 * Mean absolute error: ℓᵢ = |ŷᵢ − yᵢ|, then the reduction. At a zero difference the
 * gradient is 0 (the subgradient PyTorch picks), not undefined.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { l1Loss } from '@nabla/losses';
 * l1Loss(tensor([1.5, 2, 3]), tensor([1.5, 2, 5])).item(); // 2/3 ≈ 0.6667
 */
export function l1Loss(input: Tensor, target: Tensor, { reduction = 'mean' }: RegressionOptions = {}): Tensor {
  return reduce(difference('l1Loss', input, target, reduction).abs(), reduction);
}

/**
 * Mean absolute error, the lesson's name for {@link l1Loss}.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { maeLoss } from '@nabla/losses';
 * maeLoss(tensor([0.5, 0]), tensor([1.5, -3]), { reduction: 'sum' }).item(); // 1 + 3 = 4
 */
export const maeLoss = l1Loss;

export interface LpLossOptions extends RegressionOptions {
  /** The power, p > 0. p = 2 is mseLoss, p = 1 is l1Loss. */
  p: number;
}

/**
 * ℓᵢ = |ŷᵢ − yᵢ|ᵖ, then the reduction; with `reduction: 'sum'` this is the
 * lesson's ‖y − ŷ‖ₚᵖ. p = 2 equals {@link mseLoss}, p = 1 equals {@link l1Loss}.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { lpLoss } from '@nabla/losses';
 * lpLoss(tensor([0.5, 0]), tensor([1.5, -2]), { p: 3, reduction: 'sum' }).item(); // 1 + 8 = 9
 */
export function lpLoss(input: Tensor, target: Tensor, { p, reduction = 'mean' }: LpLossOptions): Tensor {
  if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) {
    throw new NablaError('lpLoss', `p must be a finite number > 0, got ${String(p)}`);
  }
  const d = difference('lpLoss', input, target, reduction);
  // p = 1 and 2 go through abs/square so their values and gradients are exactly l1's and mse's
  // (pow(|d|, 1) would need 0⁰ and the gradient rule at d = 0 to behave).
  const perElement = p === 1 ? d.abs() : p === 2 ? d.square() : d.abs().pow(p);
  return reduce(perElement, reduction);
}

export interface HuberOptions extends RegressionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be > 0). */
  delta?: number;
}

/**
 * Huber loss: ℓᵢ = ½dᵢ² where |dᵢ| < δ, else δ(|dᵢ| − ½δ), with d = ŷ − y.
 * Quadratic near the target, linear (robust to outliers) far from it.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { huberLoss } from '@nabla/losses';
 * huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 */
export function huberLoss(input: Tensor, target: Tensor, { delta = 1, reduction = 'mean' }: HuberOptions = {}): Tensor {
  if (!(delta > 0)) throw new NablaError('huberLoss', `delta must be > 0, got ${String(delta)}`);
  const d = difference('huberLoss', input, target, reduction);
  const a = d.abs();
  return reduce(where(a.lt(delta), d.square().mul(0.5), a.sub(0.5 * delta).mul(delta)), reduction);
}

export interface SmoothL1Options extends RegressionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be ≥ 0; 0 is l1Loss). */
  beta?: number;
}

/**
 * Smooth L1: ℓᵢ = ½dᵢ²/β where |dᵢ| < β, else |dᵢ| − ½β. Equals huberLoss/β;
 * β = 0 is l1Loss.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { smoothL1Loss } from '@nabla/losses';
 * smoothL1Loss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 */
export function smoothL1Loss(input: Tensor, target: Tensor, { beta = 1, reduction = 'mean' }: SmoothL1Options = {}): Tensor {
  if (!(beta >= 0)) throw new NablaError('smoothL1Loss', `beta must be >= 0, got ${String(beta)}`);
  const d = difference('smoothL1Loss', input, target, reduction);
  const a = d.abs();
  // β = 0 would divide by zero in the (never taken) quadratic branch: take l1 directly, as PyTorch does.
  if (beta === 0) return reduce(a, reduction);
  return reduce(where(a.lt(beta), d.square().mul(0.5 / beta), a.sub(0.5 * beta)), reduction);
}
