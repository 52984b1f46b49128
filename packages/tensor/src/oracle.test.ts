// Every case of the PyTorch fixture group 'tensor' (tooling/oracle): forward values, dtypes and shapes.
import { describe, expect, it } from 'vitest';
import { loadFixtures, decodeTensor, resolveArgs, type OpCase } from '@nabla/oracle';
import * as api from './index';
import type { Tensor} from './index';
import { tensor } from './index';

/** The same values as a strided view: stored transposed (or every other element) and viewed back. */
function strided(d: ReturnType<typeof decodeTensor>): Tensor {
  const n = d.shape.length;
  if (n === 0 || d.data.length === 0) return tensor(d.data, { shape: d.shape, dtype: d.dtype });
  if (n === 1) {
    const padded = d.data.flatMap((v) => [v, 0]);
    return tensor(padded, { shape: [padded.length], dtype: d.dtype }).slice(0, 0, null, 2);
  }
  const dense = tensor(d.data, { shape: d.shape, dtype: d.dtype });
  const t = dense.transpose(-1, -2).contiguous();
  return t.transpose(-1, -2);
}

function build(c: OpCase, layout: 'dense' | 'strided'): Tensor[] {
  return c.inputs.map((e) => {
    const d = decodeTensor(e);
    if (layout === 'dense') return tensor(d.data, { shape: d.shape, dtype: d.dtype, requiresGrad: d.requiresGrad ?? false });
    const x = strided(d);
    return d.requiresGrad ? x.requiresGrad_() : x;
  });
}

function run(c: OpCase, layout: 'dense' | 'strided' = 'dense'): Tensor {
  const xs = build(c, layout);
  const args = resolveArgs(c.args, xs);
  const fn = c.call.kind === 'method' ? (xs[0] as any)[c.call.name] : (api as any)[c.call.name];
  if (typeof fn !== 'function') throw new Error(`no ${c.call.kind} ${c.call.name}`);
  const out = c.call.kind === 'method' ? fn.apply(xs[0], args) : fn(...args);
  return c.call.outputIndex !== undefined ? out[c.call.outputIndex] : out;
}

function close(actual: ArrayLike<number>, expected: number[], dtype: string, name: string): void {
  const rtol = dtype === 'float64' ? 1e-10 : 1e-5;
  const atol = dtype === 'float64' ? 1e-12 : 1e-6;
  expect(actual.length, name).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e)) expect(Number.isNaN(a), `${name}[${i}] expected NaN got ${a}`).toBe(true);
    else if (!Number.isFinite(e) || dtype === 'int32' || dtype === 'bool') expect(a, `${name}[${i}]`).toBe(e);
    else expect(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${name}[${i}]: ${a} vs ${e}`).toBe(true);
  }
}

describe('PyTorch oracle: tensor group', () => {
  const file = loadFixtures('tensor');
  it('has cases', () => expect(file.cases.length).toBeGreaterThan(100));
  for (const c of file.cases) {
    it(c.name, () => {
      const out = run(c);
      const want = decodeTensor(c.output);
      expect(out.dtype).toBe(want.dtype);
      expect(out.shape).toEqual(want.shape);
      close(out.data(), want.data, want.dtype, c.name);
    });
  }
});

describe('PyTorch oracle: tensor group on strided (non-contiguous) inputs', () => {
  for (const c of loadFixtures('tensor').cases) {
    it(c.name, () => {
      const out = run(c, 'strided');
      const want = decodeTensor(c.output);
      expect(out.shape).toEqual(want.shape);
      close(out.data(), want.data, want.dtype, c.name);
    });
  }
});
