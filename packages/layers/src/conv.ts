/** Conv2d, MaxPool2d and AvgPool2d modules (NCHW) over the functional ops. */
import { NablaError } from '@nabla/core';
import { zeros, type Tensor } from '@nabla/tensor';
import { Module, parameter } from './module';
import { calculateFans, kaimingUniform, uniform } from './init';
import { positiveInt } from './layers';
import { avgPool2d, conv2d, maxPool2d, type Pair } from './functional';

export interface Conv2dModuleOptions {
  readonly stride?: Pair;
  readonly padding?: Pair;
  readonly dilation?: Pair;
  readonly groups?: number;
  readonly bias?: boolean;
}

const fmtPair = (p: Pair): string => (typeof p === 'number' ? `${p}` : `[${p[0]}, ${p[1]}]`);

/**
 * 2-D convolution with weight [out, in/groups, kh, kw] initialised like torch.nn.Conv2d
 * (kaiming_uniform a=√5, bias U(±1/√fanIn)).
 * @example
 * const conv = new Conv2d(3, 8, 3, { padding: 1 });
 * conv.forward(randn([2, 3, 16, 16])).shape; // [2, 8, 16, 16]
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  weight: Tensor;
  bias: Tensor | null;
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dModuleOptions = {}) {
    super();
    positiveInt('Conv2d', 'inChannels', inChannels);
    positiveInt('Conv2d', 'outChannels', outChannels);
    const groups = opts.groups ?? 1;
    positiveInt('Conv2d', 'groups', groups);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new NablaError('Conv2d', `inChannels ${inChannels} and outChannels ${outChannels} must be divisible by groups ${groups}`);
    }
    const k: [number, number] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [kernelSize[0], kernelSize[1]];
    k.forEach((v) => positiveInt('Conv2d', 'kernelSize', v));
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = k;
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.groups = groups;
    this.weight = parameter(zeros([outChannels, inChannels / groups, k[0], k[1]]));
    this.bias = opts.bias === false ? null : parameter(zeros([outChannels]));
    this.resetParameters();
  }
  resetParameters(): void {
    kaimingUniform(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(calculateFans(this.weight).fanIn);
      uniform(this.bias, -bound, bound);
    }
  }
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
  override extraRepr(): string {
    const extras = [`${this.inChannels}, ${this.outChannels}, kernelSize=${fmtPair(this.kernelSize)}, stride=${fmtPair(this.stride)}`];
    if (this.padding !== 0) extras.push(`padding=${fmtPair(this.padding)}`);
    if (this.dilation !== 1) extras.push(`dilation=${fmtPair(this.dilation)}`);
    if (this.groups !== 1) extras.push(`groups=${this.groups}`);
    if (!this.bias) extras.push('bias=false');
    return extras.join(', ');
  }
}

/** The summary both pooling layers print: the window, its stride (the window by default) and padding. */
function poolRepr(kernelSize: Pair, opts: { stride?: Pair | null; padding?: Pair }): string {
  return `kernelSize=${fmtPair(kernelSize)}, stride=${fmtPair(opts.stride ?? kernelSize)}, padding=${fmtPair(opts.padding ?? 0)}`;
}

export interface MaxPool2dModuleOptions {
  readonly stride?: Pair | null;
  readonly padding?: Pair;
  readonly dilation?: Pair;
}

export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly opts: MaxPool2dModuleOptions = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, ...this.opts });
  }
  override extraRepr(): string {
    return poolRepr(this.kernelSize, this.opts);
  }
}

export interface AvgPool2dModuleOptions {
  readonly stride?: Pair | null;
  readonly padding?: Pair;
  readonly countIncludePad?: boolean;
}

export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly opts: AvgPool2dModuleOptions = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, { kernelSize: this.kernelSize, ...this.opts });
  }
  override extraRepr(): string {
    return poolRepr(this.kernelSize, this.opts);
  }
}
