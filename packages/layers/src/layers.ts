/** Containers, Linear, Embedding, activations, Flatten and Dropout with PyTorch's layouts and initialisations. */
import { NablaError, fmtShape } from '@nabla/core';
import { linear, rand, releaseIntermediate, tensorsCreated, where, zeros, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import { Module, parameter } from './module';
import { kaimingUniform, normal, uniform } from './init';

/**
 * Runs its children in order; they are named '0', '1', … as in torch.nn.Sequential.
 * @example
 * const mlp = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
 * mlp.forward(x);
 */
export class Sequential extends Module {
  [index: number]: Module;
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => (this[i] = m));
  }
  get length(): number {
    return this.children().length;
  }
  /**
   * Runs the children in order. The results passed between them are reachable by nobody else, so they
   * are released as soon as possible: at once when no graph was recorded on the next result, else by
   * backward when it frees the graph. (A child that keeps its input beyond its forward must clone it.)
   */
  forward(input: Tensor): Tensor {
    const start = tensorsCreated();
    let x = input;
    for (const m of this.children()) {
      const y = m.forward(x);
      if (x !== input && x.serial >= start) releaseIntermediate(x, y);
      x = y;
    }
    return x;
  }
}

/** A list of modules whose parameters are registered ('0.weight', …); it has no forward of its own. */
export class ModuleList extends Module {
  [index: number]: Module;
  constructor(modules: Module[] = []) {
    super();
    modules.forEach((m) => this.push(m));
  }
  get length(): number {
    return this.children().length;
  }
  push(m: Module): this {
    this[this.length] = m;
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
  forward(): never {
    throw new NablaError('ModuleList', 'a ModuleList has no forward; iterate over it instead');
  }
}

export interface LinearOptions {
  readonly bias?: boolean;
}

/**
 * y = x Wᵀ + b with weight [out, in]; weight ~ kaiming_uniform(a=√5), bias ~ U(±1/√in), as torch.nn.Linear.
 * @example
 * const fc = new Linear(4, 2);
 * fc.forward(randn([8, 4])).shape; // [8, 2]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    positiveInt('Linear', 'inFeatures', inFeatures);
    positiveInt('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter(zeros([outFeatures, inFeatures]));
    this.bias = opts.bias === false ? null : parameter(zeros([outFeatures]));
    this.resetParameters();
  }
  resetParameters(): void {
    kaimingUniform(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(this.inFeatures);
      uniform(this.bias, -bound, bound);
    }
  }
  forward(x: Tensor): Tensor {
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new NablaError('Linear', `expected input [..., ${this.inFeatures}], got ${fmtShape(x.shape)}`);
    }
    return linear(x, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

export interface EmbeddingOptions {
  readonly paddingIdx?: number | null;
}

/** A lookup table: int32 indices [...] -> weight rows [..., dim]; weight ~ N(0, 1) as torch.nn.Embedding. */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** Index whose row starts at zero and never receives a gradient (torch's padding_idx). */
  readonly paddingIdx: number | null;
  weight: Tensor;
  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    positiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    positiveInt('Embedding', 'embeddingDim', embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const pad = opts.paddingIdx ?? null;
    if (pad !== null && !(Number.isInteger(pad) && pad >= -numEmbeddings && pad < numEmbeddings)) {
      throw new NablaError('Embedding', `paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), got ${pad}`);
    }
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    this.weight = parameter(normal(zeros([numEmbeddings, embeddingDim])));
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => this.weight.narrow(0, row, 1).zero_());
    }
  }
  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') throw new NablaError('Embedding', `expected int32 indices, got ${indices.dtype}`);
    const flat = indices.reshape([-1]);
    let rows = this.weight.indexSelect(0, flat);
    // Same values, but the padding rows' gradient is cut (torch never updates weight[paddingIdx]).
    if (this.paddingIdx !== null) rows = where(flat.ne(this.paddingIdx).unsqueeze(1), rows, rows.detach());
    return rows.reshape([...indices.shape, this.embeddingDim]);
  }
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** Exact GELU, x·Φ(x). */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return x.gelu();
  }
}

export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Flattens dims startDim..endDim (default 1..-1, keeping the batch dim). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Zeroes each element with probability p in training and scales the rest by 1/(1-p); the
 * identity in eval mode. The mask comes from the global seeded stream (`manualSeed`).
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new NablaError('Dropout', `p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return x.mul(0);
    let u = rand(x.shape, { dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
    if (u.backend !== x.backend) u = u.toBackend(x.backend);
    const keep = u.ge(this.p);
    return x.mul(keep.to(x.dtype).mul(1 / (1 - this.p)));
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

export function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new NablaError(op, `${name} must be a positive integer, got ${v}`);
}
