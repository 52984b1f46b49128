/**
 * The Optimizer base: it walks parameter groups and calls the subclass's
 * `initState(p)` once per parameter and `update(p, g, state, group)` on every
 * step, without recording a graph. Subclasses only write the update rule.
 */
import { NablaError, fmtShape, shapesEqual } from '@nabla/core';
import { Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';

/** Per-parameter optimizer state: tensors (moment buffers) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number | undefined>;

/** A parameter group: its tensors plus its own options (lr, momentum, ...). */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What constructors accept: tensors (one group with the defaults) or groups overriding some options. */
export type ParamsInput<O> = Iterable<Tensor> | readonly ({ params: Iterable<Tensor> } & Partial<O>)[];

export interface OptimizerStateDict {
  /** Per-parameter state keyed by the parameter's index over all groups (as torch). */
  state: Record<number, ParamState>;
  /** Each group's options, with `params` as indices. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

export abstract class Optimizer<O extends { lr: number } = { lr: number }, S extends object = ParamState> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** State per parameter, created lazily on the first step that sees a gradient. */
  readonly state = new Map<Tensor, S>();

  constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = defaults;
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new NablaError(this.constructor.name, 'got an empty parameter list');
    if (list.every((p) => p instanceof Tensor)) this.addParamGroup({ params: list as Tensor[] } as { params: Tensor[] } & Partial<O>);
    else for (const g of list as ({ params: Iterable<Tensor> } & Partial<O>)[]) this.addParamGroup(g);
  }

  /** Adds a group; options it leaves out come from the defaults. A tensor may be in one group only. */
  addParamGroup(group: { params: Iterable<Tensor> } & Partial<O>): void {
    const name = this.constructor.name;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new NablaError(name, 'expected tensors or parameter groups { params, ...options }');
    }
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new NablaError(name, `parameters must be tensors, got ${typeof p}`);
      if (!p.isLeaf) throw new NablaError(name, "can't optimize a non-leaf tensor (it was computed by an op); pass leaves that require grad");
      if (seen.has(p)) throw new NablaError(name, `a parameter ${fmtShape(p.shape)} appears in more than one group`);
      seen.add(p);
    }
    const full = { ...this.defaults, ...group, params } as ParamGroup<O>;
    this.validate(full);
    this.paramGroups.push(full);
  }

  /** Checks a group's options; throws `[Name] ...` naming the bad one. */
  protected validate(group: ParamGroup<O>): void {
    if (!(group.lr >= 0)) throw new NablaError(this.constructor.name, `invalid learning rate: ${group.lr}`);
  }

  protected abstract initState(p: Tensor, group: ParamGroup<O>): S;
  /** Updates `p` in place from its gradient `g`; runs under noGrad. */
  protected abstract update(p: Tensor, g: Tensor, state: S, group: ParamGroup<O>): void;

  /**
   * One update of every parameter that has a gradient. With a closure, it is called (with
   * grad enabled) first to recompute the loss, which step returns.
   */
  step(closure?: () => Tensor | number): number | undefined {
    let loss: number | undefined;
    if (closure) {
      const l = closure();
      loss = typeof l === 'number' ? l : l.item();
    }
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const g = p.grad;
          if (g === null) continue;
          let s = this.state.get(p);
          if (s === undefined) this.state.set(p, (s = this.initState(p, group)));
          this.update(p, g, s, group);
        }
      }
    });
    return loss;
  }

  /**
   * Clears gradients (sets them to null, like torch's default set_to_none) and releases them now:
   * a training loop frees last step's gradient storage deterministically instead of waiting for the
   * collector (which a synchronous loop never gives a chance). Clone a gradient to keep it past this.
   */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) releaseGrad(p);
  }

  /** The state in torch's layout: per-parameter state by index, and group options with param indices. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map(({ params, ...opts }) => ({
      ...opts,
      params: params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p) as number;
      }),
    }));
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...(s as ParamState) };
    }
    return { state, paramGroups };
  }

  /** Restores options and state saved by `stateDict()` (tensors are copied, so the source stays untouched). */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new NablaError(name, `loaded state has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    const byIndex: Tensor[] = [];
    sd.paramGroups.forEach((g, gi) => {
      const mine = this.paramGroups[gi].params;
      if (g.params.length !== mine.length) {
        throw new NablaError(name, `group ${gi} has ${g.params.length} parameters in the loaded state, ${mine.length} here`);
      }
      g.params.forEach((idx, j) => (byIndex[idx] = mine[j]));
    });
    const state = new Map<Tensor, S>();
    for (const [k, s] of Object.entries(sd.state)) {
      const p = byIndex[Number(k)];
      if (p === undefined) throw new NablaError(name, `loaded state names parameter ${k}, which no group has`);
      const copy: ParamState = {};
      for (const [key, v] of Object.entries(s as ParamState)) {
        if (v instanceof Tensor && !shapesEqual(v.shape, p.shape) && v.numel !== 1) {
          throw new NablaError(name, `state '${key}' of parameter ${k} has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(p.shape)}`);
        }
        if (v === undefined) continue;
        copy[key] = v instanceof Tensor ? noGrad(() => v.to(p.dtype).clone()) : v;
      }
      state.set(p, copy as S);
    }
    sd.paramGroups.forEach(({ params: _params, ...opts }, gi) => Object.assign(this.paramGroups[gi], opts));
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }
}

/** Sets `p.grad` to null and disposes the gradient it held. */
export function releaseGrad(p: Tensor): void {
  const g = p.grad;
  if (g === null) return;
  p.grad = null;
  g.dispose();
}
