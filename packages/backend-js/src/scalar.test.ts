import { describe, expect, it } from 'vitest';
import { BINARY_OPS, UNARY_OPS, contiguousStrides, type DType, type View } from '@nabla/core';
import { createJsBackend } from './backend';
import { FLOAT_UNARY, binaryFn, erf, erfc, roundHalfEven, toInt32, unaryFn } from './scalar';
import type { JsStorage } from './storage';

// torch.erf / erfc / gelu in float64 (PyTorch 1.13).
const ref = {
  x: [-5.5, -4, -3.2, -3, -2.9, -2, -1.3, -0.7, -0.001, 1e-8, 0.1, 0.3, 0.9, 1.7, 2.2, 2.9, 3, 3.1, 4.5, 5.9],
  erf: [-0.9999999999999927, -0.9999999845827421, -0.9999939742388483, -0.9999779095030014, -0.9999589021219005, -0.9953222650189527, -0.9340079449406524, -0.6778011938374184, -0.0011283787909692365, 1.1283791670955126e-8, 0.1124629160182849, 0.3286267594591274, 0.7969082124228322, 0.9837904585907745, 0.9981371537020182, 0.9999589021219005, 0.9999779095030014, 0.9999883513426328, 0.9999999998033839, 0.9999999999999999],
  erfc: [1.9999999999999927, 1.999999984582742, 1.9999939742388482, 1.9999779095030015, 1.9999589021219006, 1.9953222650189528, 1.9340079449406524, 1.6778011938374184, 1.0011283787909693, 0.9999999887162083, 0.887537083981715, 0.6713732405408726, 0.20309178757716786, 0.01620954140922544, 0.0018628462979818898, 4.109787809945886e-5, 2.209049699858544e-5, 1.1648657367199589e-5, 1.9661604415428876e-10, 7.190409783550478e-17],
  gelu: [-1.0444259362918373e-7, -0.00012668496733247991, -0.0021988414013307533, -0.00404969409489031, -0.00541085857111373, -0.04550026389635842, -0.1258406299612934, -0.16937455655615108, -0.000499601057786089, 5.000000039894228e-9, 0.053982783727702904, 0.1853734266566858, 0.7343458871879165, 1.6242387133104768, 2.1694124154703034, 2.8945891414288862, 2.99595030590511, 3.097000430039023, 4.4999847104709385, 5.899999989276703],
};
const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('erf, erfc and gelu match PyTorch in float64', () => {
  it.each(ref.x.map((x, i) => [x, i]))('x = %d', (x, i) => {
    expect(relErr(erf(x), ref.erf[i])).toBeLessThan(1e-14);
    expect(relErr(erfc(x), ref.erfc[i])).toBeLessThan(1e-13);
    // torch's gelu uses 1 + erf, which loses relative precision for very negative x; ours is exact there.
    expect(relErr(FLOAT_UNARY.gelu(x), ref.gelu[i])).toBeLessThan(x < -2 ? 1e-9 : 1e-14);
  });
});

describe('scalar rows', () => {
  it('round is half to even, toInt32 saturates', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 2.6, 1e300].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, -2, 3, 1e300]);
    expect([1e10, -1e10, NaN, -7.9, Infinity].map(toInt32)).toEqual([2147483647, -2147483648, 0, -7, 2147483647]);
  });

  it('int32 rows not written by hand go through float then cast', () => {
    expect(unaryFn('sqrt', 'int32')(17)).toBe(4);
    // bool is the int32 row then != 0: sigmoid(0) = 0.5 truncates to 0 first.
    expect(unaryFn('sigmoid', 'bool')(0)).toBe(0);
    expect(unaryFn('exp', 'bool')(0)).toBe(1);
    expect(binaryFn('pow', 'int32')(-3, 3)).toBe(-27);
  });
});

describe('dense fast paths agree with the table rows', () => {
  const js = createJsBackend();
  const rand = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 43758.5453 % 7);
  const make = (dtype: DType, data: number[]): View<JsStorage> => {
    const s = js.alloc(dtype, data.length);
    s.set(dtype === 'bool' ? data.map((v) => (v > 0 ? 1 : 0)) : dtype === 'int32' ? data.map(Math.trunc) : data);
    return { storage: s, dtype, shape: [data.length], strides: contiguousStrides([data.length]), offset: 0 };
  };
  for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
    it(`${dtype}: dense and strided loops give the same results for every op`, () => {
      const a = make(dtype, rand(34, 1));
      const b = make(dtype, rand(34, 2));
      for (const op of BINARY_OPS) {
        const outDtype = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op) ? 'bool' : dtype;
        const dense = make(outDtype, new Array(17).fill(0));
        const strided = make(outDtype, new Array(17).fill(0));
        const half = (v: View<JsStorage>): View<JsStorage> => ({ ...v, shape: [17], strides: [1] });
        const even = (v: View<JsStorage>): View<JsStorage> => ({ ...v, shape: [17], strides: [2] });
        js.kernels.binary(op, dense, half(a), half(b));
        // The strided path: read a and b with stride 2 from interleaved copies.
        const ia = make(dtype, Array.from(a.storage).slice(0, 17).flatMap((v) => [v, 0]));
        const ib = make(dtype, Array.from(b.storage).slice(0, 17).flatMap((v) => [v, 0]));
        js.kernels.binary(op, strided, even(ia), even(ib));
        const f = binaryFn(op, dtype);
        const want = Array.from({ length: 17 }, (_, i) => f(a.storage[i], b.storage[i]));
        const round = outDtype === 'float32' ? Math.fround : (x: number) => x;
        expect(Array.from(dense.storage), op).toEqual(want.map(round));
        expect(Array.from(strided.storage), op).toEqual(want.map(round));
      }
      for (const op of UNARY_OPS) {
        const out = make(dtype, new Array(34).fill(0));
        js.kernels.unary(op, out, a);
        const f = unaryFn(op, dtype);
        const round = dtype === 'float32' ? Math.fround : (x: number) => x;
        expect(Array.from(out.storage), op).toEqual(Array.from(a.storage, (v) => round(f(v))));
      }
    });
  }
});
