/** Binary cross-entropy on probabilities and on logits. */
import { NablaError, broadcastShapes, fmtShape, shapesEqual } from '@nabla/core';
import { defineFunction } from '@nabla/autograd';
import type { Tensor } from '@nabla/tensor';
import { checkFloat, checkReduction, checkSameShape, reduce, type Reduction } from './reduce';

export interface BinaryCrossEntropyOptions {
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: Tensor;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** PyTorch clamps each log term at −100 so p = 0 or 1 gives a finite loss (100 per element at worst). */
const LOG_FLOOR = -100;
/** PyTorch's floor for p(1 − p) in the gradient, so the gradient at p = 0 or 1 is finite (±1e12). */
const GRAD_EPS = 1e-12;

/**
 * Elementwise BCE as a custom function: the forward is the clamped formula, the
 * backward is PyTorch's closed form (p − y)/max(p(1 − p), 1e-12) rather than the
 * derivative of the clamp, which would be 0 at p = 0 or 1 and so hide how wrong
 * a saturated prediction is. The target gets −logit(p), as in PyTorch.
 */
const bceElementwise = defineFunction({
  forward(ctx, p: Tensor, y: Tensor): Tensor {
    ctx.save(p, y);
    // Negate the logs before weighting so a perfect prediction gives +0, not −0.
    const nlogP = p.log().clamp(LOG_FLOOR).neg();
    const nlog1mP = p.neg().add(1).log().clamp(LOG_FLOOR).neg();
    return y.mul(nlogP).add(y.neg().add(1).mul(nlog1mP));
  },
  backward(ctx, g: Tensor): [Tensor, Tensor] {
    const [p, y] = ctx.saved;
    const oneMinusP = p.neg().add(1);
    const gp = g.mul(p.sub(y)).div(p.mul(oneMinusP).clamp(GRAD_EPS));
    const gy = g.mul(oneMinusP.log().sub(p.log()));
    return [gp, gy];
  },
});

function checkWeight(op: string, weight: Tensor | undefined, shape: readonly number[]): void {
  if (weight === undefined) return;
  checkFloat(op, 'weight', weight);
  const b = broadcastShapes(op, weight.shape, shape);
  if (!shapesEqual(b, shape)) {
    throw new NablaError(op, `weight must broadcast to the input's shape: weight=${fmtShape(weight.shape)} input=${fmtShape(shape)}`);
  }
}

/**
 * Binary cross-entropy of probabilities p against targets y ∈ [0, 1]:
 * ℓᵢ = −wᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)], each log clamped at −100 as PyTorch,
 * then the reduction. Throws if any p lies outside [0, 1] (it reads p to check).
 * Prefer {@link binaryCrossEntropyWithLogits} on raw scores: it is stable where
 * the sigmoid saturates.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { binaryCrossEntropy } from '@nabla/losses';
 * binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // (−log 0.9 − log 0.8)/2 ≈ 0.1643
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, { weight, reduction = 'mean' }: BinaryCrossEntropyOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  checkReduction(op, reduction);
  checkFloat(op, 'input (probabilities)', input);
  checkSameShape(op, input, target);
  checkWeight(op, weight, input.shape);
  const values = input.data();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // `!(v >= 0 && v <= 1)` also rejects NaN, as PyTorch does.
    if (!(v >= 0 && v <= 1)) {
      throw new NablaError(op, `input must hold probabilities in [0, 1], got ${v} at flat index ${i} of ${fmtShape(input.shape)}; use binaryCrossEntropyWithLogits for raw scores`);
    }
  }
  const y = target.dtype === input.dtype ? target : target.to(input.dtype);
  const loss = bceElementwise(input, y);
  return reduce(weight ? loss.mul(weight) : loss, reduction);
}

export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term, broadcast along the last (class) axis: >1 favours recall. */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy on logits x (sigmoid folded in), stable for any |x|:
 * ℓᵢ = wᵢ [max(xᵢ, 0) − xᵢyᵢ + log(1 + e^−|xᵢ|)]; with a positive weight pw,
 * ℓᵢ = wᵢ [(1 − yᵢ) xᵢ + (1 + (pw − 1) yᵢ) softplus(−xᵢ)]. Never forms sigmoid(x)
 * or log(0), so logits of ±1e4 give finite losses and gradients.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { binaryCrossEntropyWithLogits } from '@nabla/losses';
 * binaryCrossEntropyWithLogits(tensor([0.5, -1.5]), tensor([1, 0])).item(); // ≈ 0.3377
 * binaryCrossEntropyWithLogits(tensor([1e4, -1e4], { dtype: 'float32' }), tensor([0, 0])).item(); // 5000, finite
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  { weight, posWeight, reduction = 'mean' }: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkReduction(op, reduction);
  checkFloat(op, 'input (logits)', input);
  checkSameShape(op, input, target);
  checkWeight(op, weight, input.shape);
  if (posWeight !== undefined) {
    checkFloat(op, 'posWeight', posWeight);
    const b = broadcastShapes(op, posWeight.shape, target.shape);
    if (!shapesEqual(b, target.shape)) {
      throw new NablaError(op, `posWeight must broadcast to the target's shape: posWeight=${fmtShape(posWeight.shape)} target=${fmtShape(target.shape)}`);
    }
  }
  // softplus(−x) = −log σ(x) = max(−x, 0) + log(1 + e^−|x|), computed stably by the softplus primitive;
  // writing the max/abs form out would make autograd see kinks at x = 0 (and give the wrong gradient there).
  const negLogSig = input.neg().softplus();
  const oneMinusY = target.neg().add(1);
  const positive = posWeight === undefined ? negLogSig : posWeight.sub(1).mul(target).add(1).mul(negLogSig);
  const loss = oneMinusY.mul(input).add(positive);
  return reduce(weight ? loss.mul(weight) : loss, reduction);
}
