/**
 * The fast path of crossEntropy: the backend's fused softmax-cross-entropy kernels,
 * wrapped as a custom autograd function. Only a speed-up: the composite in
 * classification.ts is the definition, and the tests check that both agree.
 */
import { isContiguous } from '@nabla/core';
import { defineFunction } from '@nabla/autograd';
import { emptyOn, isGradEnabled, oneHot, type Tensor } from '@nabla/tensor';

/** True when `logits` can go to the fused kernels: 2-D contiguous float on a backend that has both. */
export function fusedCrossEntropyApplies(logits: Tensor): boolean {
  const fused = logits.backend.fused;
  return (
    fused?.softmaxCrossEntropy !== undefined &&
    fused.softmaxCrossEntropyBackward !== undefined &&
    logits.ndim === 2 &&
    isContiguous(logits.shape, logits.strides)
  );
}

/**
 * Per-row loss [N] = logsumexp(xᵢ) − xᵢ[yᵢ] of logits [N, C] at in-range int32 targets [N].
 * Callers check `fusedCrossEntropyApplies` and the targets first.
 */
export const fusedSoftmaxCrossEntropy = defineFunction({
  name: 'crossEntropy',
  forward(ctx, logits: Tensor, target: Tensor): Tensor {
    ctx.save(logits, target);
    const out = emptyOn(logits.backend, logits.dtype, [logits.shape[0]]); // every row is written
    logits.backend.fused!.softmaxCrossEntropy!(out, logits, target.contiguous());
    return out;
  },
  backward(ctx, g: Tensor): [Tensor, null] {
    const [logits, target] = ctx.saved;
    // Under createGraph the gradient must itself be differentiable: build it from recorded ops.
    if (isGradEnabled()) return [logits.softmax(1).sub(oneHot(target, logits.shape[1]).to(logits.dtype)).mul(g.unsqueeze(1)), null];
    const dx = emptyOn(logits.backend, logits.dtype, logits.shape);
    const gc = g.contiguous(); // the mean's gradient arrives expanded (stride 0)
    logits.backend.fused!.softmaxCrossEntropyBackward!(dx, logits, target.contiguous(), gc);
    if (gc !== g) gc.dispose();
    return [dx, null];
  },
});
