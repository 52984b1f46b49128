/** RMSprop (torch.optim.RMSprop): centered variant, momentum and L2 weight decay. */
import { NablaError } from '@nabla/core';
import { zerosLike, type Tensor } from '@nabla/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';

export interface RmspropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

type Opts = Required<RmspropOptions>;
interface RmspropState {
  step: number;
  squareAvg: Tensor;
  /** Only with momentum > 0. */
  momentumBuffer?: Tensor;
  /** Only when centered. */
  gradAvg?: Tensor;
}

/**
 * v = αv + (1-α)g²; centered subtracts the squared running mean of g; then
 * p -= lr·g/(√v + ε), or through a momentum buffer b = μb + g/(√v + ε).
 * @example
 * const opt = new RMSprop(model.parameters(), { lr: 0.01, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<Opts, RmspropState> {
  constructor(params: ParamsInput<Opts>, opts: RmspropOptions = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...opts });
  }

  protected override validate(g: ParamGroup<Opts>): void {
    super.validate(g);
    if (!(g.alpha >= 0)) throw new NablaError('RMSprop', `invalid alpha value: ${g.alpha}`);
    if (!(g.eps >= 0)) throw new NablaError('RMSprop', `invalid epsilon value: ${g.eps}`);
    if (!(g.momentum >= 0)) throw new NablaError('RMSprop', `invalid momentum value: ${g.momentum}`);
    if (!(g.weightDecay >= 0)) throw new NablaError('RMSprop', `invalid weightDecay value: ${g.weightDecay}`);
  }

  protected initState(p: Tensor, o: ParamGroup<Opts>): RmspropState {
    const s: RmspropState = { step: 0, squareAvg: zerosLike(p) };
    if (o.momentum > 0) s.momentumBuffer = zerosLike(p);
    if (o.centered) s.gradAvg = zerosLike(p);
    return s;
  }

  protected update(p: Tensor, g: Tensor, s: RmspropState, o: ParamGroup<Opts>): void {
    s.step++;
    if (o.weightDecay !== 0) g = g.add(p.mul(o.weightDecay));
    s.squareAvg.mul_(o.alpha).addScaled_(g.square(), 1 - o.alpha);
    let avg: Tensor;
    if (o.centered) {
      const ga = (s.gradAvg ??= zerosLike(p));
      ga.mul_(o.alpha).addScaled_(g, 1 - o.alpha);
      avg = s.squareAvg.sub(ga.square()).sqrt();
    } else {
      avg = s.squareAvg.sqrt();
    }
    avg = avg.add(o.eps);
    if (o.momentum > 0) {
      const buf = (s.momentumBuffer ??= zerosLike(p));
      buf.mul_(o.momentum).add_(g.div(avg));
      p.addScaled_(buf, -o.lr);
    } else {
      p.addScaled_(g.div(avg), -o.lr);
    }
  }
}
