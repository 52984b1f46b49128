/**
 * Test support (not exported from the package): runs one PyTorch fixture case of
 * the 'losses' group — builds the inputs, calls the loss by name, compares the
 * value, then backpropagates gradOutput and compares every input gradient.
 */
import { NablaError } from '@nabla/core';
import '@nabla/autograd';
import { decodeTensor, resolveArgs, type EncodedTensor, type OpCase } from '@nabla/oracle';
import { tensor, type Tensor } from '@nabla/tensor';
import * as losses from './index';

function build(t: EncodedTensor, requiresGrad = false): Tensor {
  return tensor(decodeTensor(t).data, { dtype: t.dtype, shape: t.shape, requiresGrad });
}

/** Elementwise tolerance per dtype: a few ulps of accumulated rounding, not a loose fit. */
export const TOLERANCE: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float64: { rtol: 1e-9, atol: 1e-12 },
};

/** Describes the first element where `actual` and `expected` differ beyond tolerance, or undefined. */
export function mismatch(what: string, actual: Tensor, expected: EncodedTensor, finiteForNaN = false): string | undefined {
  const got = actual.shape.join(',');
  if (got !== expected.shape.join(',')) return `${what}: shape [${got}], expected [${expected.shape.join(',')}]`;
  const { rtol, atol } = TOLERANCE[expected.dtype] ?? TOLERANCE.float64;
  const a = actual.data();
  const want = decodeTensor(expected).data;
  for (let i = 0; i < want.length; i++) {
    const e = want[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a[i]) || (finiteForNaN && Number.isFinite(a[i])) : Number.isFinite(e) ? Math.abs(a[i] - e) <= atol + rtol * Math.abs(e) : a[i] === e;
    if (!ok) return `${what}[${i}] = ${a[i]}, expected ${e}`;
  }
  return undefined;
}

export interface RunOptions {
  /** The implementations to call by name (default: this package's exports). */
  fns?: Record<string, unknown>;
  /** Accept a finite gradient where torch's is NaN (a documented deviation; see the README). */
  finiteWhereTorchNaN?: boolean;
}

/** Runs a fixture case and throws one NablaError listing every mismatch (dtype, value, gradients). */
export function runCase(c: OpCase, { fns = losses, finiteWhereTorchNaN = false }: RunOptions = {}): void {
  const fn = fns[c.call.name];
  if (typeof fn !== 'function') throw new NablaError(c.name, `no function named ${c.call.name}`);
  const inputs = c.inputs.map((t) => build(t, t.requiresGrad === true));
  const out = (fn as (...a: unknown[]) => Tensor)(...resolveArgs(c.args, inputs));
  const problems: string[] = [];
  if (out.dtype !== c.output.dtype) problems.push(`dtype ${out.dtype}, expected ${c.output.dtype}`);
  const m = mismatch('value', out, c.output);
  if (m) problems.push(m);
  if (c.grads && c.gradOutput && out.requiresGrad) {
    out.backward(build(c.gradOutput));
    c.grads.forEach((g, i) => {
      if (!g) return;
      const actual = inputs[i].grad;
      const gm = actual ? mismatch(`grad[${i}]`, actual, g, finiteWhereTorchNaN) : `grad[${i}] is null`;
      if (gm) problems.push(gm);
    });
  }
  if (problems.length) throw new NablaError(c.name, problems.join('; '));
}
