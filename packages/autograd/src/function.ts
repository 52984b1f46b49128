/** Custom differentiable functions: a forward and a hand-written backward, recorded as one graph node. */
import { NablaError } from '@nabla/core';
import { type Node, Tensor, isGradEnabled, record, zeros } from '@nabla/tensor';
import { checkAllSaved } from './helpers';
import { noGrad } from './mode';

/** The context shared by one forward call and its backward. Other fields may be set freely. */
export interface FunctionContext {
  /** Keeps tensors for backward; modifying one in place afterwards makes backward() throw. */
  save(...tensors: Tensor[]): void;
  /** The tensors passed to save(), in order. */
  readonly saved: readonly Tensor[];
  /** For each forward argument: whether it is a tensor that requires grad (backward may skip the others). */
  readonly needsInputGrad: readonly boolean[];
  [key: string]: unknown;
}

export interface FunctionDefinition<A extends unknown[], O extends Tensor | Tensor[]> {
  /** Names the op in errors (default 'custom'). */
  readonly name?: string;
  /** Computes the outputs; runs with recording off. */
  forward(ctx: FunctionContext, ...args: A): O;
  /** Gets one gradient per output (zeros for unused outputs) and returns one per forward argument (null for none). */
  backward(ctx: FunctionContext, ...gradOutputs: Tensor[]): Tensor | null | readonly (Tensor | null | undefined)[];
}

/** What the 'custom' vjp row needs, kept in the node's attrs. */
export interface CustomAttrs {
  readonly def: FunctionDefinition<any, any>;
  readonly ctx: FunctionContext;
  /** Which output this node is, and the shapes/dtypes of all outputs (zeros stand in for the others). */
  readonly index: number;
  readonly outputs: readonly { shape: number[]; dtype: Tensor['dtype'] }[];
  /** The forward-argument position of each graph input. */
  readonly argPositions: readonly number[];
}

function makeContext(needs: boolean[]): FunctionContext {
  const saved: Tensor[] = [];
  return {
    save(...tensors: Tensor[]) {
      for (const t of tensors) {
        if (!(t instanceof Tensor)) throw new NablaError('defineFunction', `ctx.save takes tensors, got ${typeof t}`);
      }
      saved.push(...tensors);
    },
    get saved() {
      return saved;
    },
    needsInputGrad: needs,
  };
}

/**
 * Defines a differentiable op from a forward and its backward (vector-Jacobian product).
 * @example
 * import { type Tensor, tensor } from '@nabla/tensor';
 * import { defineFunction } from '@nabla/autograd';
 * const myExp = defineFunction({
 *   name: 'myExp',
 *   forward(ctx, x: Tensor) { const y = x.exp(); ctx.save(y); return y; },
 *   backward(ctx, g) { return g.mul(ctx.saved[0]); },
 * });
 * const x = tensor([0, 1], { dtype: 'float32', requiresGrad: true });
 * myExp(x).sum().backward(); // x.grad = [1, e]
 */
export function defineFunction<A extends unknown[], O extends Tensor | Tensor[]>(def: FunctionDefinition<A, O>): (...args: A) => O {
  const name = def.name ?? 'custom';
  return (...args: A): O => {
    const argPositions: number[] = [];
    args.forEach((a, i) => {
      if (a instanceof Tensor) argPositions.push(i);
    });
    const inputs = argPositions.map((i) => args[i] as Tensor);
    const needs = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const ctx = makeContext(needs);
    const result = noGrad(() => def.forward(ctx, ...args));
    const list: Tensor[] = result instanceof Tensor ? [result] : [...(result as Tensor[])];
    if (list.length === 0 || list.some((o) => !(o instanceof Tensor))) {
      throw new NablaError(name, 'forward must return a tensor or a non-empty array of tensors');
    }
    if (!isGradEnabled() || !needs.some(Boolean)) return result;
    // An output that is an input object would get this node as its gradFn and lose its own history.
    const outs = list.map((o) => (inputs.includes(o) ? o.detach() : o));
    const outputs = outs.map((o) => ({ shape: [...o.shape], dtype: o.dtype }));
    outs.forEach((o, index) => {
      const attrs: CustomAttrs = { def, ctx, index, outputs, argPositions };
      record('custom', inputs.slice(), o, { ...attrs, name }, ctx.saved.slice());
    });
    return (result instanceof Tensor ? outs[0] : outs) as O;
  };
}

/** The 'custom' vjp row: calls the user's backward with this output's gradient (zeros for the others). */
export function customVjp(g: Tensor, node: Node): (Tensor | null)[] {
  const { def, ctx, index, outputs, argPositions } = node.attrs as unknown as CustomAttrs;
  checkAllSaved(node);
  const gradOutputs = outputs.map((o, j) => (j === index ? g : zeros(o.shape, { dtype: o.dtype })));
  const res = def.backward(ctx, ...gradOutputs);
  const list = res instanceof Tensor || res === null ? [res] : [...res];
  return argPositions.map((p) => {
    const gi = list[p];
    if (gi !== null && gi !== undefined && !(gi instanceof Tensor)) {
      throw new NablaError(def.name ?? 'custom', `backward must return tensors or null, got ${typeof gi} for argument ${p}`);
    }
    return gi ?? null;
  });
}
