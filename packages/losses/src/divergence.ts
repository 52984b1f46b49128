/** Information measures: KL-divergence loss (PyTorch's kl_div), entropy and KL divergence of distributions. */
import { NablaError, fmtShape, shapesEqual } from '@nabla/core';
import { where, type Tensor } from '@nabla/tensor';
import { checkFloat, checkReduction, checkSameShape, reduce, type Reduction } from './reduce';

/**
 * x·log(y) with the convention 0·log(y) = 0 (so 0·log 0 = 0, the limit). The
 * "double where" keeps gradients finite: log only ever sees y where x > 0,
 * so no log(0) = −∞ is formed to be multiplied by 0 in the backward pass.
 */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  const used = x.ne(0);
  return where(used, x.mul(where(used, y, 1).log()), 0);
}

export interface KlDivOptions {
  /** 'mean' (over all elements, as PyTorch), 'batchmean' (sum / batch size: the true KL mean), 'sum' or 'none'. */
  reduction?: Reduction | 'batchmean';
  /** The target holds log-probabilities rather than probabilities. */
  logTarget?: boolean;
}

const KL_REDUCTIONS = ['mean', 'batchmean', 'sum', 'none'] as const;

/**
 * PyTorch's kl_div: the input holds log-probabilities log Q, the target P (or
 * log P with `logTarget`); ℓᵢ = Pᵢ(log Pᵢ − log Qᵢ) with 0·log 0 = 0. Summed over
 * the classes, ℓ is D_KL(P‖Q); `reduction: 'batchmean'` divides that sum by the
 * batch size and is the one that matches the mathematical definition.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { klDiv } from '@nabla/losses';
 * const logQ = tensor([[0.25, 0.75]]).log();
 * klDiv(logQ, tensor([[0.5, 0.5]]), { reduction: 'batchmean' }).item(); // ≈ 0.1438
 */
export function klDiv(input: Tensor, target: Tensor, { reduction = 'mean', logTarget = false }: KlDivOptions = {}): Tensor {
  checkReduction('klDiv', reduction, KL_REDUCTIONS);
  checkFloat('klDiv', 'input (log-probabilities)', input);
  checkSameShape('klDiv', input, target);
  const loss = logTarget ? target.exp().mul(target.sub(input)) : xlogy(target, target).sub(target.mul(input));
  if (reduction === 'batchmean') return reduce(loss, 'mean', input.ndim === 0 ? 1 : input.shape[0]);
  return reduce(loss, reduction);
}

export interface DistributionOptions {
  /** The axis holding each distribution (default -1, the last). */
  dim?: number;
  keepdim?: boolean;
}

/**
 * Shannon entropy in nats of distributions along `dim`: H(P) = −Σᵢ pᵢ log pᵢ, with 0·log 0 = 0.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { entropy } from '@nabla/losses';
 * entropy(tensor([0.5, 0.5])).item(); // log 2 ≈ 0.6931
 */
export function entropy(p: Tensor, { dim = -1, keepdim = false }: DistributionOptions = {}): Tensor {
  checkFloat('entropy', 'probabilities', p);
  return xlogy(p, p).sum(dim, { keepdim }).neg();
}

/**
 * Kullback–Leibler divergence in nats of distributions along `dim`:
 * D_KL(P‖Q) = Σᵢ pᵢ (log pᵢ − log qᵢ), with 0·log(0/q) = 0. It is ≥ 0 and
 * H(P, Q) = H(P) + D_KL(P‖Q): the cross-entropy exceeds the entropy by exactly this.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { klDivergence } from '@nabla/losses';
 * klDivergence(tensor([0.5, 0.5]), tensor([0.25, 0.75])).item(); // ≈ 0.1438
 */
export function klDivergence(p: Tensor, q: Tensor, { dim = -1, keepdim = false }: DistributionOptions = {}): Tensor {
  checkFloat('klDivergence', 'probabilities p', p);
  checkFloat('klDivergence', 'probabilities q', q);
  if (!shapesEqual(p.shape, q.shape)) {
    throw new NablaError('klDivergence', `p and q shapes differ: p=${fmtShape(p.shape)} q=${fmtShape(q.shape)}`);
  }
  return xlogy(p, p).sub(xlogy(p, q)).sum(dim, { keepdim });
}
