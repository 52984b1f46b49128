/** Multi-class losses: negative log-likelihood and cross-entropy (class indices or probabilities). */
import { NablaError, fmtShape, isFloating, shapesEqual } from '@nabla/core';
import { releaseIntermediate, where, type Tensor } from '@nabla/tensor';
import { fusedCrossEntropyApplies, fusedSoftmaxCrossEntropy } from './fused';
import { checkFloat, checkReduction, reduce, type Reduction } from './reduce';

export interface NllLossOptions {
  /** Per-class rescaling [C]; the 'mean' reduction divides by the sum of the weights used. */
  weight?: Tensor;
  /** Targets equal to this contribute nothing, to the loss or to the mean's denominator (default −100). */
  ignoreIndex?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** ε ∈ [0, 1]: the target becomes (1 − ε)·target + ε/C uniform (default 0). */
  labelSmoothing?: number;
}

/** What validating class-index targets learns, so the loss need not read them again. */
interface IndexTargets {
  /** True when some target equals ignoreIndex. */
  anyIgnored: boolean;
  /** How many targets are not ignored (the unweighted mean's denominator). */
  kept: number;
}

/** Input [C] (unbatched) or [N, C, d1, …]; the class axis is 0 for the first, 1 otherwise. */
function classDimOf(input: Tensor): number {
  return input.ndim === 1 ? 0 : 1;
}

/**
 * Checks index targets against input [N, C, d1, …] (or [C]): int32, shape [N, d1, …] (or []),
 * every value a class in [0, C) or ignoreIndex. Reads the targets: a bad index must be an
 * error naming the loss, never a wrong gather.
 */
function checkIndexTargets(op: string, input: Tensor, target: Tensor, ignoreIndex: number): IndexTargets {
  if (input.ndim === 0) throw new NablaError(op, `expected input [C] or [N, C, ...], got a scalar`);
  if (target.dtype !== 'int32') {
    throw new NablaError(op, `expected int32 class-index targets, got ${target.dtype}`);
  }
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!shapesEqual(target.shape, expected)) {
    throw new NablaError(op, `target shape ${fmtShape(target.shape)} does not match input ${fmtShape(input.shape)}: expected ${fmtShape(expected)}`);
  }
  const classes = input.shape[classDimOf(input)];
  const values = target.data();
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= classes) {
      throw new NablaError(op, `target ${v} at flat index ${i} is out of range for ${classes} classes (expected 0..${classes - 1} or ignoreIndex ${ignoreIndex})`);
    }
    kept++;
  }
  return { anyIgnored: kept < values.length, kept };
}

function checkClassWeight(op: string, weight: Tensor | undefined, classes: number): void {
  if (weight === undefined) return;
  checkFloat(op, 'weight', weight);
  if (!shapesEqual(weight.shape, [classes])) {
    throw new NablaError(op, `weight must have shape [${classes}] (one per class), got ${fmtShape(weight.shape)}`);
  }
}

/** weight [C] seen as [1, C, 1, …] against a batched input of rank `ndim`. */
function classWeightView(weight: Tensor, ndim: number): Tensor {
  const shape = new Array<number>(ndim).fill(1);
  shape[1] = weight.shape[0];
  return weight.reshape(shape);
}

/**
 * The per-element NLL terms −w[yᵢ]·logpᵢ[yᵢ] (0 where ignored) of batched log-probs [N, C, …],
 * plus the 'mean' denominator Σ w[yᵢ] over kept targets (a plain count without weights).
 * With label smoothing ε the term becomes (1 − ε)·nllᵢ + ε/C · (−Σ_c w_c logpᵢ_c),
 * PyTorch's formula, sharing the mask and the denominator.
 */
function nllTerms(
  logp: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  ignoreIndex: number,
  info: IndexTargets,
  eps = 0,
): { loss: Tensor; denominator: Tensor | number } {
  const keep = info.anyIgnored ? target.ne(ignoreIndex) : undefined;
  // Ignored targets may hold any value (−100 by default): gather at class 0 instead, then mask.
  const safe = keep ? where(keep, target, 0) : target;
  let loss = logp.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
  let denominator: Tensor | number = info.kept;
  if (weight) {
    let w = weight.gather(0, safe.flatten()).reshape(target.shape);
    if (keep) w = where(keep, w, 0);
    loss = loss.mul(w);
    denominator = w.sum();
  }
  if (eps > 0) {
    const all = (weight ? logp.mul(classWeightView(weight, logp.ndim)) : logp).sum(1).neg();
    loss = loss.mul(1 - eps).add(all.mul(eps / logp.shape[1]));
  }
  if (keep) loss = where(keep, loss, 0);
  return { loss, denominator };
}

/**
 * Negative log-likelihood of log-probabilities [N, C] (or [C], or [N, C, d1, …]) at
 * int32 class targets [N] (or [], or [N, d1, …]): ℓᵢ = −w[yᵢ] · logpᵢ[yᵢ], then the
 * reduction ('mean' divides by Σ w[yᵢ] over targets that are not ignored).
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { nllLoss } from '@nabla/losses';
 * const logp = tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]).log();
 * nllLoss(logp, tensor([0, 2])).item(); // (−log 0.7 − log 0.8)/2 ≈ 0.2899
 */
export function nllLoss(input: Tensor, target: Tensor, { weight, ignoreIndex = -100, reduction = 'mean' }: NllLossOptions = {}): Tensor {
  const op = 'nllLoss';
  checkReduction(op, reduction);
  checkFloat(op, 'input (log-probabilities)', input);
  const info = checkIndexTargets(op, input, target, ignoreIndex);
  checkClassWeight(op, weight, input.shape[classDimOf(input)]);
  const unbatched = input.ndim === 1;
  const lp = unbatched ? input.unsqueeze(0) : input;
  const t = unbatched ? target.unsqueeze(0) : target;
  const { loss, denominator } = nllTerms(lp, t, weight, ignoreIndex, info);
  return reduce(unbatched ? loss.squeeze(0) : loss, reduction, denominator);
}

/**
 * Cross-entropy of logits [N, C] (or [C], or [N, C, d1, …]) against int32 class targets
 * [N] (or [], or [N, d1, …]), or against probabilities with the logits' shape. The logits
 * go through log-softmax (log-sum-exp, max subtracted), never softmax then log, so huge
 * logits stay finite: ℓᵢ = −Σ_c qᵢc log softmax(xᵢ)_c with q the (smoothed) target,
 * i.e. logsumexp(xᵢ) − xᵢ[yᵢ] for a class index. Weighted as {@link nllLoss}.
 * When the backend has a fused softmax-cross-entropy kernel, the plain case (2-D
 * contiguous logits, index targets, no weight, smoothing or ignored target,
 * reduction 'mean' or 'sum') runs it; results equal the composite's.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { crossEntropy } from '@nabla/losses';
 * const logits = tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]]);
 * crossEntropy(logits, tensor([0, 1])).item(); // ≈ 0.3185
 * crossEntropy(logits, tensor([[1, 0, 0], [0, 1, 0]], { dtype: 'float32' })).item(); // the same, as probabilities
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  return crossEntropyWith(input, target, options, true);
}

/** crossEntropy always through the composite, never the fused kernel: the reference the fast path is tested against. */
export function crossEntropyComposite(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  return crossEntropyWith(input, target, options, false);
}

function crossEntropyWith(input: Tensor, target: Tensor, options: CrossEntropyOptions, allowFused: boolean): Tensor {
  const op = 'crossEntropy';
  const { weight, ignoreIndex = -100, labelSmoothing = 0, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  checkFloat(op, 'logits', input);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new NablaError(op, `labelSmoothing must be in [0, 1], got ${String(labelSmoothing)}`);
  }
  if (isFloating(target.dtype)) return crossEntropyProbabilities(input, target, weight, ignoreIndex, labelSmoothing, reduction);
  const info = checkIndexTargets(op, input, target, ignoreIndex);
  checkClassWeight(op, weight, input.shape[classDimOf(input)]);
  if (allowFused && !weight && labelSmoothing === 0 && !info.anyIgnored && reduction !== 'none' && fusedCrossEntropyApplies(input)) {
    const rows = fusedSoftmaxCrossEntropy(input, target);
    const loss = reduce(rows, reduction);
    releaseIntermediate(rows, loss);
    return loss;
  }
  return crossEntropyIndices(input, target, weight, ignoreIndex, labelSmoothing, reduction, info);
}

/** The composite (reference) path for index targets; the fused kernel must agree with it. */
function crossEntropyIndices(
  input: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  ignoreIndex: number,
  eps: number,
  reduction: Reduction,
  info: IndexTargets,
): Tensor {
  const unbatched = input.ndim === 1;
  const x = unbatched ? input.unsqueeze(0) : input;
  const t = unbatched ? target.unsqueeze(0) : target;
  const { loss, denominator } = nllTerms(x.logSoftmax(1), t, weight, ignoreIndex, info, eps);
  return reduce(unbatched ? loss.squeeze(0) : loss, reduction, denominator);
}

/**
 * Probability targets q (the logits' shape): ℓᵢ = −Σ_c w_c qᵢc log softmax(xᵢ)_c, with
 * q ← (1 − ε)q + ε/C under label smoothing; 'mean' divides by the number of rows
 * (weights do not enter the denominator here, as in PyTorch).
 */
function crossEntropyProbabilities(
  input: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  ignoreIndex: number,
  eps: number,
  reduction: Reduction,
): Tensor {
  const op = 'crossEntropy';
  if (!shapesEqual(input.shape, target.shape)) {
    throw new NablaError(op, `probability targets must have the logits' shape: input=${fmtShape(input.shape)} target=${fmtShape(target.shape)}`);
  }
  // An index cannot be ignored in a distribution; PyTorch rejects a real (non-negative) ignoreIndex too.
  if (ignoreIndex >= 0) throw new NablaError(op, `ignoreIndex (${ignoreIndex}) is not supported with probability targets`);
  const unbatched = input.ndim === 1;
  const x = unbatched ? input.unsqueeze(0) : input;
  let q = unbatched ? target.unsqueeze(0) : target;
  const classes = x.shape[1];
  checkClassWeight(op, weight, classes);
  if (eps > 0) q = q.mul(1 - eps).add(eps / classes);
  let terms = x.logSoftmax(1).mul(q);
  if (weight) terms = terms.mul(classWeightView(weight, x.ndim));
  const loss = terms.sum(1).neg();
  return reduce(unbatched ? loss.squeeze(0) : loss, reduction);
}
