/** Adam and AdamW: one implementation, the `decoupled` flag choosing L2-in-gradient or decoupled decay. */
import { NablaError } from '@nabla/core';
import { zerosLike, type Tensor } from '@nabla/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';
import { fusedKernels, touched } from './fused';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  /** Use the backend's fused adamUpdate kernel when it has one (default true; amsgrad always runs the composite). */
  fused?: boolean;
}

type Opts = Required<AdamOptions> & { decoupled: boolean };
interface AdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  /** Only with amsgrad. */
  maxExpAvgSq?: Tensor;
}

/**
 * Adam (torch.optim.Adam): m = β₁m + (1-β₁)g, v = β₂v + (1-β₂)g², p -= lr·m̂/(√v̂ + ε) with bias
 * corrections; weightDecay adds λp to g. amsgrad uses the running max of v.
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<Opts, AdamState> {
  constructor(params: ParamsInput<Opts>, opts: AdamOptions = {}, decoupled = false) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: decoupled ? 1e-2 : 0, amsgrad: false, fused: true, ...opts, decoupled });
  }

  protected override validate(g: ParamGroup<Opts>): void {
    super.validate(g);
    const name = this.constructor.name;
    const [b1, b2] = g.betas;
    if (!(b1 >= 0 && b1 < 1)) throw new NablaError(name, `invalid beta parameter at index 0: ${b1}`);
    if (!(b2 >= 0 && b2 < 1)) throw new NablaError(name, `invalid beta parameter at index 1: ${b2}`);
    if (!(g.eps >= 0)) throw new NablaError(name, `invalid epsilon value: ${g.eps}`);
    if (!(g.weightDecay >= 0)) throw new NablaError(name, `invalid weightDecay value: ${g.weightDecay}`);
  }

  protected initState(p: Tensor, o: ParamGroup<Opts>): AdamState {
    const s: AdamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
    if (o.amsgrad) s.maxExpAvgSq = zerosLike(p);
    return s;
  }

  protected update(p: Tensor, g: Tensor, s: AdamState, o: ParamGroup<Opts>): void {
    const [b1, b2] = o.betas;
    const step = ++s.step;
    const fused = o.fused && !o.amsgrad ? fusedKernels(p, g)?.adamUpdate : undefined;
    if (fused) {
      fused(p, g.isContiguous() ? g : g.contiguous(), s.expAvg, s.expAvgSq, { lr: o.lr, beta1: b1, beta2: b2, eps: o.eps, weightDecay: o.weightDecay, decoupled: o.decoupled, step });
      touched(p, s.expAvg, s.expAvgSq);
      return;
    }
    if (o.weightDecay !== 0) {
      if (o.decoupled) p.mul_(1 - o.lr * o.weightDecay);
      else g = g.add(p.mul(o.weightDecay));
    }
    s.expAvg.mul_(b1).addScaled_(g, 1 - b1);
    s.expAvgSq.mul_(b2).addScaled_(g.square(), 1 - b2);
    let v = s.expAvgSq;
    if (s.maxExpAvgSq) {
      s.maxExpAvgSq.copy_(s.maxExpAvgSq.maximum(s.expAvgSq));
      v = s.maxExpAvgSq;
    }
    const bc1 = 1 - b1 ** step;
    const bc2Sqrt = Math.sqrt(1 - b2 ** step);
    const denom = v.sqrt().div(bc2Sqrt).add(o.eps);
    p.addScaled_(s.expAvg.div(denom), -o.lr / bc1);
  }
}

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay p *= 1 - lr·λ (default λ = 0.01).
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.1 });
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<Opts>, opts: AdamOptions = {}) {
    super(params, opts, true);
  }
}
