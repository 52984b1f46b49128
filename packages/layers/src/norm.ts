/** LayerNorm and BatchNorm1d/2d (running statistics, train/eval) with PyTorch's parameter and buffer names. */
import { NablaError, fmtShape } from '@nabla/core';
import { ones, tensor, zeros, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import { Module, parameter } from './module';
import { positiveInt } from './layers';

export interface LayerNormOptions {
  readonly eps?: number;
  /** Learnable per-element weight (ones) and bias (zeros); default true. */
  readonly elementwiseAffine?: boolean;
}

/**
 * Normalises over the last dims (`normalizedShape`) with the biased variance, then scales and shifts.
 * @example
 * new LayerNorm([8]).forward(randn([4, 8])); // rows with mean 0, variance ≈ 1
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Tensor | null;
  bias: Tensor | null;
  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.normalizedShape.forEach((d) => positiveInt('LayerNorm', 'normalizedShape', d));
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? parameter(ones(this.normalizedShape)) : null;
    this.bias = affine ? parameter(zeros(this.normalizedShape)) : null;
  }
  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (x.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new NablaError('LayerNorm', `expected input [..., ${this.normalizedShape.join(', ')}], got ${fmtShape(x.shape)}`);
    }
    const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const mean = x.mean(dims, { keepdim: true });
    const centered = x.sub(mean);
    const variance = centered.square().mean(dims, { keepdim: true });
    let y = centered.mul(variance.add(this.eps).rsqrt());
    if (this.weight) y = y.mul(this.weight);
    if (this.bias) y = y.add(this.bias);
    return y;
  }
  override extraRepr(): string {
    return `${fmtShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

export interface BatchNormOptions {
  readonly eps?: number;
  /** Running-average factor (default 0.1); null averages all batches equally. */
  readonly momentum?: number | null;
  readonly affine?: boolean;
  readonly trackRunningStats?: boolean;
}

/**
 * Normalises each channel (dim 1) over the batch and spatial dims. In training it uses the batch's
 * biased variance and updates `running_mean`/`running_var` (the latter with the unbiased variance);
 * in eval it uses the running statistics. Buffer names match PyTorch's state dict.
 */
abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  weight: Tensor | null;
  bias: Tensor | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  protected abstract readonly ranks: readonly number[];

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    positiveInt(this.constructor.name, 'numFeatures', numFeatures);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    const affine = opts.affine ?? true;
    this.weight = affine ? parameter(ones([numFeatures])) : null;
    this.bias = affine ? parameter(zeros([numFeatures])) : null;
    const track = opts.trackRunningStats ?? true;
    this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(0, { dtype: 'int32' }) : null);
  }

  forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      const want = this.ranks.map((r) => (r === 2 ? `[N, ${this.numFeatures}]` : r === 3 ? `[N, ${this.numFeatures}, L]` : `[N, ${this.numFeatures}, H, W]`));
      throw new NablaError(name, `expected input ${want.join(' or ')}, got ${fmtShape(x.shape)}`);
    }
    const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
    const bshape = [1, this.numFeatures, ...Array.from({ length: x.ndim - 2 }, () => 1)];
    const useBatch = this.training || this.running_mean === null || this.running_var === null;
    let mean: Tensor;
    let variance: Tensor;
    if (useBatch) {
      const n = x.numel / this.numFeatures;
      if (this.training && n <= 1) throw new NablaError(name, `expected more than 1 value per channel in training, got input ${fmtShape(x.shape)}`);
      mean = x.mean(dims, { keepdim: true });
      variance = x.sub(mean).square().mean(dims, { keepdim: true });
      if (this.training) this.updateRunningStats(mean, variance, n);
    } else {
      mean = (this.running_mean as Tensor).reshape(bshape);
      variance = (this.running_var as Tensor).reshape(bshape);
    }
    let y = x.sub(mean).mul(variance.add(this.eps).rsqrt());
    if (this.weight) y = y.mul(this.weight.reshape(bshape));
    if (this.bias) y = y.add(this.bias.reshape(bshape));
    return y;
  }

  private updateRunningStats(mean: Tensor, variance: Tensor, n: number): void {
    const rm = this.running_mean;
    const rv = this.running_var;
    const nbt = this.num_batches_tracked;
    if (!rm || !rv || !nbt) return;
    noGrad(() => {
      nbt.add_(1);
      const m = this.momentum ?? 1 / nbt.item();
      rm.mul_(1 - m).add_(mean.detach().reshape([-1]).mul(m));
      rv.mul_(1 - m).add_(variance.detach().reshape([-1]).mul((m * n) / (n - 1)));
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.running_mean !== null}`;
  }
}

/** BatchNorm over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

/** BatchNorm over [N, C, H, W]. */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}
