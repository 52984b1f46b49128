/** The functional form: grad(f) and valueAndGrad(f), composable for higher derivatives. */
import { NablaError, fmtShape, isFloating } from '@nabla/core';
import { Tensor, isGradEnabled, record } from '@nabla/tensor';
import { gradients } from './engine';
import { enableGrad } from './mode';

export interface GradOptions {
  /** Which arguments to differentiate: one index (the result is one tensor) or a list (a list). Default 0. */
  readonly argnums?: number | readonly number[];
  /**
   * Record the gradient computation so it can be differentiated again. Default: on when called inside
   * another grad()/valueAndGrad() evaluation (so grad(x => grad(f)(x).sum()) works) or when an argument
   * being differentiated already requires grad (it belongs to a graph someone may differentiate); off
   * otherwise. Pass false for parameters you only want a plain gradient of.
   */
  readonly createGraph?: boolean;
}

// How many grad()/valueAndGrad() evaluations are running right now; > 0 means we are nested.
let depth = 0;

/** A fresh tensor standing for argument i: differentiating with respect to it never touches `.grad`. */
function tracer(a: unknown, i: number): Tensor {
  if (!(a instanceof Tensor)) throw new NablaError('grad', `argument ${i} must be a Tensor to be differentiated, got ${typeof a}`);
  if (!isFloating(a.dtype)) throw new NablaError('grad', `argument ${i} must be float32 or float64 to be differentiated, got ${a.dtype}`);
  const t = a.detach();
  // An argument already in a graph (an outer grad's tracer, a parameter) stays connected to it through an
  // identity node, so the outer derivative flows through; otherwise the tracer is a fresh leaf.
  if (a.requiresGrad) enableGrad(() => record('identity', [a], t, {}));
  else t.requiresGrad_(true);
  return t;
}

function run<A extends unknown[]>(f: (...args: A) => Tensor, opts: GradOptions, args: A): [Tensor, Tensor[]] {
  const nums = opts.argnums ?? 0;
  const list = typeof nums === 'number' ? [nums] : nums;
  const createGraph = opts.createGraph ?? (depth > 0 || (isGradEnabled() && list.some((n) => (args[n] as Tensor | undefined)?.requiresGrad === true)));
  const callArgs = args.slice() as A;
  const tracers = list.map((n) => {
    if (!Number.isInteger(n) || n < 0 || n >= args.length) {
      throw new NablaError('grad', `argnums ${n} out of range for ${args.length} argument(s)`);
    }
    const t = tracer(args[n], n);
    callArgs[n] = t;
    return t;
  });
  depth++;
  let value: Tensor;
  try {
    value = enableGrad(() => f(...callArgs));
  } finally {
    depth--;
  }
  if (!(value instanceof Tensor) || value.numel !== 1) {
    const what = value instanceof Tensor ? `shape ${fmtShape(value.shape)}` : typeof value;
    throw new NablaError('grad', `the function must return a single-element tensor, got ${what}`);
  }
  const grads = gradients([value], tracers, [], { createGraph });
  return [createGraph ? value : value.detach(), grads];
}

/**
 * Turns a scalar function of tensors into the function computing its gradient.
 * @example
 * import { type Tensor, tensor } from '@nabla/tensor';
 * import { grad } from '@nabla/autograd';
 * const f = (x: Tensor) => x.pow(3).sum();
 * const x = tensor([1, 2], { dtype: 'float64' });
 * grad(f)(x).toArray();                                // [3, 12]
 * grad((y: Tensor) => grad(f)(y).sum())(x).toArray();  // [6, 12]
 */
export function grad<A extends unknown[]>(f: (...args: A) => Tensor, opts?: GradOptions & { argnums?: number }): (...args: A) => Tensor;
export function grad<A extends unknown[]>(f: (...args: A) => Tensor, opts: GradOptions & { argnums: readonly number[] }): (...args: A) => Tensor[];
export function grad<A extends unknown[]>(f: (...args: A) => Tensor, opts: GradOptions = {}): (...args: A) => Tensor | Tensor[] {
  return (...args: A) => {
    const [, grads] = run(f, opts, args);
    return typeof (opts.argnums ?? 0) === 'number' ? grads[0] : grads;
  };
}

/**
 * Like grad(f) but also returns f's value: `[value, gradient]`.
 * @example
 * import { type Tensor, tensor } from '@nabla/tensor';
 * import { valueAndGrad } from '@nabla/autograd';
 * const x = tensor([1, 2, 3], { dtype: 'float32' });
 * const y = tensor([2, 4, 6], { dtype: 'float32' });
 * const mse = (w: Tensor, b: Tensor) => w.mul(x).add(b).sub(y).square().mean();
 * const [loss, [dw, db]] = valueAndGrad(mse, { argnums: [0, 1] })(tensor(1.5), tensor(0.5));
 */
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Tensor, opts?: GradOptions & { argnums?: number }): (...args: A) => [Tensor, Tensor];
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Tensor, opts: GradOptions & { argnums: readonly number[] }): (...args: A) => [Tensor, Tensor[]];
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => Tensor, opts: GradOptions = {}): (...args: A) => [Tensor, Tensor | Tensor[]] {
  return (...args: A) => {
    const [value, grads] = run(f, opts, args);
    return [value, typeof (opts.argnums ?? 0) === 'number' ? grads[0] : grads];
  };
}
