/** Gradient clipping, in place on `.grad` (torch.nn.utils.clip_grad_norm_ / clip_grad_value_). */
import { NablaError } from '@nabla/core';
import { stack, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';

function gradsOf(params: Iterable<Tensor>): Tensor[] {
  const out: Tensor[] = [];
  for (const p of params) if (p.grad) out.push(p.grad);
  return out;
}

/** ‖g‖_p of one tensor, as a rank-0 float tensor (p = Infinity gives max |g|). */
function norm(g: Tensor, p: number): Tensor {
  const a = g.abs();
  if (p === Infinity) return a.amax();
  if (p === 1) return a.sum();
  if (p === 2) return a.square().sum().sqrt();
  return a.pow(p).sum().pow(1 / p);
}

/**
 * Scales all gradients together so their joint p-norm is at most maxNorm; returns the norm
 * before clipping. The scale is maxNorm / (norm + 1e-6), capped at 1, as in PyTorch.
 * @example
 * loss.backward();
 * const total = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  if (!(normType > 0)) throw new NablaError('clipGradNorm', `normType must be positive, got ${normType}`);
  const grads = gradsOf(params);
  if (grads.length === 0) return 0;
  return noGrad(() => {
    const norms = grads.map((g) => norm(g.to(g.dtype === 'float64' ? 'float64' : 'float32'), normType));
    const total = norm(stack(norms), normType).item();
    const coef = Math.min(maxNorm / (total + 1e-6), 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** Clamps every gradient element to [-clipValue, clipValue] in place. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new NablaError('clipGradValue', `clipValue must be non-negative, got ${clipValue}`);
  noGrad(() => {
    for (const g of gradsOf(params)) g.copy_(g.clamp(-clipValue, clipValue));
  });
}
