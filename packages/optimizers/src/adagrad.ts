/** Adagrad (torch.optim.Adagrad): learning-rate decay, L2 weight decay, initial accumulator. */
import { NablaError } from '@nabla/core';
import { fullLike, type Tensor } from '@nabla/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

type Opts = Required<AdagradOptions>;
interface AdagradState {
  step: number;
  sum: Tensor;
}

/**
 * s += g²; p -= clr·g/(√s + ε) with clr = lr / (1 + (step-1)·lrDecay).
 * @example
 * const opt = new Adagrad(model.parameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<Opts, AdagradState> {
  constructor(params: ParamsInput<Opts>, opts: AdagradOptions = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, ...opts });
  }

  protected override validate(g: ParamGroup<Opts>): void {
    super.validate(g);
    if (!(g.lrDecay >= 0)) throw new NablaError('Adagrad', `invalid lrDecay value: ${g.lrDecay}`);
    if (!(g.weightDecay >= 0)) throw new NablaError('Adagrad', `invalid weightDecay value: ${g.weightDecay}`);
    if (!(g.initialAccumulatorValue >= 0)) throw new NablaError('Adagrad', `invalid initialAccumulatorValue: ${g.initialAccumulatorValue}`);
    if (!(g.eps >= 0)) throw new NablaError('Adagrad', `invalid epsilon value: ${g.eps}`);
  }

  protected initState(p: Tensor, o: ParamGroup<Opts>): AdagradState {
    return { step: 0, sum: fullLike(p, o.initialAccumulatorValue) };
  }

  protected update(p: Tensor, g: Tensor, s: AdagradState, o: ParamGroup<Opts>): void {
    const step = ++s.step;
    if (o.weightDecay !== 0) g = g.add(p.mul(o.weightDecay));
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    s.sum.add_(g.square());
    p.addScaled_(g.div(s.sum.sqrt().add(o.eps)), -clr);
  }
}
