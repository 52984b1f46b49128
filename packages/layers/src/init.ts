/**
 * Initialisers (torch.nn.init): each fills a tensor in place, without recording
 * a graph, from the global seeded stream (`manualSeed`), so runs repeat exactly
 * on every backend. Each returns the tensor it filled.
 */
import { NablaError, fmtShape } from '@nabla/core';
import { rand, randn, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';

export type Nonlinearity = 'linear' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';
export type FanMode = 'fanIn' | 'fanOut';

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); `param` is leakyRelu's slope. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const gains: Record<Nonlinearity, () => number> = {
    linear: () => 1,
    conv2d: () => 1,
    sigmoid: () => 1,
    tanh: () => 5 / 3,
    relu: () => Math.SQRT2,
    leakyRelu: () => Math.sqrt(2 / (1 + (param ?? 0.01) ** 2)),
    selu: () => 3 / 4,
  };
  const g = gains[nonlinearity];
  if (!g) throw new NablaError('calculateGain', `unsupported nonlinearity '${String(nonlinearity)}'`);
  return g();
}

/** fan_in = shape[1] * receptive field, fan_out = shape[0] * receptive field (weights of rank ≥ 2). */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new NablaError('init', `fan in and fan out need a tensor of rank ≥ 2, got ${fmtShape(t.shape)}`);
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, src: Tensor): Tensor {
  noGrad(() => t.copy_(src.backend === t.backend ? src : src.toBackend(t.backend)));
  return t;
}

/** U(a, b) in place. */
export function uniform(t: Tensor, a = 0, b = 1): Tensor {
  return fill(t, noGrad(() => rand(t.shape, { dtype: floatOf(t) }).mul(b - a).add(a)));
}

/** N(mean, std²) in place. */
export function normal(t: Tensor, mean = 0, std = 1): Tensor {
  return fill(t, noGrad(() => randn(t.shape, { dtype: floatOf(t) }).mul(std).add(mean)));
}

export function constant(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** Glorot: U(±gain·√(6/(fanIn+fanOut))). */
export function xavierUniform(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound);
}

/** Glorot: N(0, gain²·2/(fanIn+fanOut)). */
export function xavierNormal(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (only for 'leakyRelu'; default 0). */
  readonly a?: number;
  readonly mode?: FanMode;
  readonly nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const fans = calculateFans(t);
  const fan = (o.mode ?? 'fanIn') === 'fanIn' ? fans.fanIn : fans.fanOut;
  return calculateGain(o.nonlinearity ?? 'leakyRelu', o.a ?? 0) / Math.sqrt(fan);
}

/**
 * He: U(±√3·gain/√fan). PyTorch's Linear and Conv2d use `{ a: √5 }`.
 * @example
 * kaimingUniform(w, { nonlinearity: 'relu' });
 */
export function kaimingUniform(t: Tensor, o: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return uniform(t, -bound, bound);
}

/** He: N(0, gain²/fan). */
export function kaimingNormal(t: Tensor, o: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, o));
}

function floatOf(t: Tensor): 'float32' | 'float64' {
  if (t.dtype === 'float32' || t.dtype === 'float64') return t.dtype;
  throw new NablaError('init', `expected a floating tensor, got ${t.dtype}`);
}
