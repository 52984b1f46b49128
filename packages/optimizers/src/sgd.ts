/** SGD with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD's rule). */
import { NablaError } from '@nabla/core';
import { zerosLike, type Tensor } from '@nabla/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer';
import { fusedKernels, touched } from './fused';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** Use the backend's fused sgdUpdate kernel when it has one (default true). */
  fused?: boolean;
}

type Opts = Required<SgdOptions>;
interface SgdState {
  /** Absent until the first step with momentum, as torch's None. */
  momentumBuffer?: Tensor;
}

/**
 * d = g + λp; with momentum b = μb + (1-τ)d (b = d on the first step), d = nesterov ? d + μb : b;
 * then p -= lr·d.
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss(model).backward(); opt.step();
 */
export class SGD extends Optimizer<Opts, SgdState> {
  constructor(params: ParamsInput<Opts>, opts: SgdOptions) {
    super(params, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, fused: true, ...opts });
  }

  protected override validate(g: ParamGroup<Opts>): void {
    super.validate(g);
    if (!(g.momentum >= 0)) throw new NablaError('SGD', `invalid momentum value: ${g.momentum}`);
    if (!(g.weightDecay >= 0)) throw new NablaError('SGD', `invalid weightDecay value: ${g.weightDecay}`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new NablaError('SGD', 'Nesterov momentum requires a momentum > 0 and zero dampening');
    }
  }

  protected initState(): SgdState {
    return {};
  }

  protected update(p: Tensor, g: Tensor, s: SgdState, o: ParamGroup<Opts>): void {
    const hasBuffer = s.momentumBuffer !== undefined;
    const fused = o.fused ? fusedKernels(p, g)?.sgdUpdate : undefined;
    if (fused) {
      let buf: Tensor | null = null;
      if (o.momentum !== 0) {
        if (!hasBuffer) s.momentumBuffer = zerosLike(p);
        buf = s.momentumBuffer as Tensor;
      }
      fused(p, g.isContiguous() ? g : g.contiguous(), buf, { lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weightDecay, hasBuffer });
      touched(p, buf);
      return;
    }
    let d = o.weightDecay !== 0 ? g.add(p.mul(o.weightDecay)) : g;
    if (o.momentum !== 0) {
      let buf: Tensor;
      if (!hasBuffer) buf = s.momentumBuffer = d.clone();
      else {
        buf = s.momentumBuffer as Tensor;
        buf.mul_(o.momentum).addScaled_(d, 1 - o.dampening);
      }
      d = o.nesterov ? d.add(buf.mul(o.momentum)) : buf;
    }
    p.addScaled_(d, -o.lr);
  }
}
