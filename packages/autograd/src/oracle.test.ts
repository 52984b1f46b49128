/** PyTorch 1.13 fixtures: every differentiable tensor case, float32 and float64, gradients via backward(). */
import { describe, expect, it } from 'vitest';
import * as T from '@nabla/tensor';
import { type Tensor, tensor } from '@nabla/tensor';
import { type EncodedTensor, type OpCase, decodeTensor, loadFixtures, resolveArgs } from '@nabla/oracle';
import './index';

const cases = loadFixtures('tensor').cases.filter((c) => c.grads !== undefined);

function make(e: EncodedTensor, requiresGrad = false): Tensor {
  const d = decodeTensor(e);
  return tensor(d.data, { dtype: d.dtype, shape: d.shape, requiresGrad: requiresGrad && d.requiresGrad === true });
}

/** |got − want| ≤ atol + rtol·|want| per element; NaN and ±inf must match exactly. */
function expectMatch(got: Tensor, want: EncodedTensor, what: string, f32: boolean): void {
  const w = decodeTensor(want);
  expect(got.shape, `${what} shape`).toEqual(w.shape);
  // float32 anywhere in the case (a float64 scalar added to float32 still computes in float32)
  const tol = f32 || w.dtype === 'float32' ? 2e-5 : 1e-9;
  const g = Array.from(got.to('float64').data() as Float64Array);
  g.forEach((v, i) => {
    const e = w.data[i];
    if (!Number.isFinite(e)) expect(v, `${what}[${i}]`).toBe(e);
    else expect(Math.abs(v - e), `${what}[${i}]: got ${v}, torch ${e}`).toBeLessThanOrEqual(tol * (1 + Math.abs(e)));
  });
}

function run(c: OpCase): void {
  const xs = c.inputs.map((e) => make(e, true));
  const args = resolveArgs(c.args, xs);
  const api = T as unknown as Record<string, (...a: unknown[]) => unknown>;
  const method = (xs[0] as unknown as Record<string, (...a: unknown[]) => unknown>)[c.call.name];
  let out = (c.call.kind === 'method' ? method.apply(xs[0], args) : api[c.call.name](...args)) as Tensor | Tensor[];
  if (Array.isArray(out)) out = out[c.call.outputIndex ?? 0];
  const f32 = [...c.inputs, c.output].some((e) => e.dtype === 'float32');
  expectMatch(out, c.output, 'output', f32);
  out.backward(make(c.gradOutput!));
  c.grads!.forEach((g, i) => {
    if (g === null) return;
    expect(xs[i].grad, `grad of input ${i}`).not.toBeNull();
    expectMatch(xs[i].grad!, g, `grad of input ${i}`, f32);
  });
}

describe('PyTorch fixtures (tensor group)', () => {
  it('has differentiable cases in both float dtypes', () => {
    expect(cases.some((c) => c.name.includes('float32'))).toBe(true);
    expect(cases.some((c) => c.name.includes('float64'))).toBe(true);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => run(c));
});
