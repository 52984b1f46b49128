/** gradcheck: compares backward's Jacobian with central finite differences in float64. */
import { NablaError, contiguousStrides, fmtShape, isFloating } from '@nabla/core';
import { Tensor, tensor, zeros } from '@nabla/tensor';
import { gradients } from './engine';
import { noGrad } from './mode';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-5). */
  readonly atol?: number;
  /** Relative tolerance, against the numerical value (default 1e-3). */
  readonly rtol?: number;
  /** Above this many output elements, compare random projections vᵀJ instead of the full Jacobian (default 512). */
  readonly maxRows?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function asList(out: Tensor | readonly Tensor[]): Tensor[] {
  const list = out instanceof Tensor ? [out] : [...out];
  for (const o of list) {
    if (!(o instanceof Tensor)) throw new NablaError('gradcheck', `the function must return tensors, got ${typeof o}`);
  }
  return list;
}

function f64(t: Tensor): Float64Array {
  return t.to('float64').data() as Float64Array;
}

function fmtIndex(shape: readonly number[], flat: number): string {
  const strides = contiguousStrides(shape);
  return `[${strides.map((s, i) => Math.floor(flat / s) % shape[i]).join(',')}]`;
}

/** Which inputs to differentiate: the float ones that require grad, or every float one when none does. */
function chooseInputs(inputs: readonly Tensor[]): number[] {
  const floats = inputs.map((x, i) => (isFloating(x.dtype) ? i : -1)).filter((i) => i >= 0);
  const marked = floats.filter((i) => inputs[i].requiresGrad);
  return marked.length > 0 ? marked : floats;
}

/** Evaluates fn with fresh float64 inputs built from `values`, flattening every output into one vector. */
function evaluate(fn: Fn, inputs: readonly Tensor[], values: Map<number, Float64Array>): Float64Array {
  const args = inputs.map((x, i) => {
    const v = values.get(i);
    return v === undefined ? x : tensor(v, { dtype: 'float64', shape: [...x.shape] });
  });
  const outs = noGrad(() => asList(fn(...args)));
  const parts = outs.map(f64);
  const flat = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    flat.set(p, o);
    o += p.length;
  }
  return flat;
}

/**
 * Checks the gradients of `fn` at `inputs` against central differences, in float64. Returns true, or
 * throws a report naming the worst element. Differentiates the float inputs that require grad (every
 * float input when none does); float32 inputs are promoted to float64 first.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { gradcheck } from '@nabla/autograd';
 * gradcheck((x) => x.tanh().sum(1), [tensor([[0.1, -2], [3, 0.5]], { dtype: 'float64' })]); // true
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): true {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const which = chooseInputs(inputs);
  if (which.length === 0) throw new NablaError('gradcheck', 'no float input to differentiate');

  // Analytical side: float64 inputs that require grad are used as given (keeping non-contiguous layouts).
  const xs = inputs.map((x, i) => {
    if (!which.includes(i)) return x;
    if (x.dtype === 'float64' && x.requiresGrad) return x;
    return noGrad(() => x.to('float64')).detach().requiresGrad_(true);
  });
  const outs = asList(fn(...xs));
  for (const o of outs) {
    if (o.dtype !== 'float64') throw new NablaError('gradcheck', `outputs must be float64 (inputs are promoted to it), got ${o.dtype}`);
  }
  const sizes = outs.map((o) => o.numel);
  const rows = sizes.reduce((a, b) => a + b, 0);
  const targets = which.map((i) => xs[i]);
  const base = new Map(which.map((i) => [i, f64(inputs[i])] as const));

  // Each "row" is a seed vector over all outputs: one-hot rows, or random ones when there are many outputs.
  const full = rows <= (opts.maxRows ?? 512);
  const nRows = full ? rows : 4;
  const seedRows: Float64Array[] = [];
  for (let r = 0; r < nRows; r++) {
    const v = new Float64Array(rows);
    if (full) v[r] = 1;
    else for (let j = 0; j < rows; j++) v[j] = Math.sin(12.9898 * (j + 1) * (r + 1)) * 2;
    seedRows.push(v);
  }

  const analytic = seedRows.map((v, r) => {
    let off = 0;
    const seeds = outs.map((o, k) => {
      const part = v.subarray(off, off + sizes[k]);
      off += sizes[k];
      return o.numel === 0 ? zeros([...o.shape], { dtype: 'float64' }) : tensor(part.slice(), { dtype: 'float64', shape: [...o.shape] });
    });
    const last = r === seedRows.length - 1;
    const gs = gradients(outs, targets, seeds, { retainGraph: !last });
    return gs.map(f64);
  });

  let worst = { excess: 0, message: '' };
  let bad = 0;
  let total = 0;
  which.forEach((inputIdx, k) => {
    const x0 = base.get(inputIdx)!;
    for (let e = 0; e < x0.length; e++) {
      const plus = x0.slice();
      const minus = x0.slice();
      plus[e] += eps;
      minus[e] -= eps;
      const fp = evaluate(fn, inputs, new Map(base).set(inputIdx, plus));
      const fm = evaluate(fn, inputs, new Map(base).set(inputIdx, minus));
      for (let r = 0; r < nRows; r++) {
        let num = 0;
        const v = seedRows[r];
        for (let j = 0; j < rows; j++) if (v[j] !== 0) num += (v[j] * (fp[j] - fm[j])) / (2 * eps);
        const ana = analytic[r][k][e];
        const tol = atol + rtol * Math.abs(num);
        const diff = Math.abs(ana - num);
        total++;
        if (diff <= tol) continue;
        bad++;
        const excess = Number.isNaN(diff) ? Infinity : diff / tol;
        if (excess >= worst.excess) {
          const at = full ? `output element ${r}` : `random projection ${r}`;
          worst = {
            excess,
            message: `input ${inputIdx} ${fmtShape(inputs[inputIdx].shape)} element ${fmtIndex(inputs[inputIdx].shape, e)}, ${at}: analytical ${ana} vs numerical ${num} (|diff| ${diff} > atol ${atol} + rtol ${rtol}·|numerical|)`,
          };
        }
      }
    }
  });
  if (bad > 0) throw new NablaError('gradcheck', `gradients differ in ${bad} of ${total} Jacobian entries; worst: ${worst.message}`);
  return true;
}
