import { describe, expect, it } from 'vitest';
import { tensor, arange, add, div, where, clamp, exp, maximum, zeros, ones } from './index';

const f = (x: unknown) => tensor(x as number[]).float();

describe('elementwise', () => {
  it('broadcasts tensors and plain numbers', () => {
    expect(f([[1], [2]]).add(f([10, 20, 30])).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(f([1, 2]).mul(3).toArray()).toEqual([3, 6]);
    expect(add(1, f([1, 2])).toArray()).toEqual([2, 3]);
    expect(f([1, 2]).sub(f(5)).toArray()).toEqual([-4, -3]);
    expect(() => f([1, 2, 3]).add(f([1, 2]))).toThrow('[add] shapes cannot be broadcast together: a=[3] b=[2]');
  });
  it('promotes dtypes like torch', () => {
    const i = tensor([1, 2]);
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(0.5).dtype).toBe('float32');
    expect(i.add(f([1, 1])).dtype).toBe('float32');
    expect(f([1]).add(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
    expect(f([1, 2]).add(tensor(1, { dtype: 'float64' })).dtype).toBe('float32'); // rank-0 tensors act like scalars
    expect(tensor([true]).add(tensor([2])).dtype).toBe('int32');
    expect(div(tensor([1, 3]), tensor([2, 2])).toArray()).toEqual([0.5, 1.5]); // true division
    expect(tensor([4]).exp().dtype).toBe('float32');
    expect(tensor([-3]).abs().toArray()).toEqual([3]);
    expect(tensor([-3]).abs().dtype).toBe('int32');
    expect(() => tensor([true]).neg()).toThrow('[neg] negation of a bool tensor is not supported');
  });
  it('computes every unary op', () => {
    const x = f([-1, 0, 2]);
    const cases: [string, number[]][] = [
      ['neg', [1, -0, -2]], ['abs', [1, 0, 2]], ['sign', [-1, 0, 1]], ['square', [1, 0, 4]], ['relu', [0, 0, 2]],
      ['floor', [-1, 0, 2]], ['ceil', [-1, 0, 2]], ['round', [-1, 0, 2]],
    ];
    for (const [op, want] of cases) expect((x as any)[op]().toArray(), op).toEqual(want);
    const y = f([0.5, 1, 4]);
    const approx: [string, (v: number) => number][] = [
      ['exp', Math.exp], ['log', Math.log], ['log1p', Math.log1p], ['expm1', Math.expm1], ['sqrt', Math.sqrt],
      ['rsqrt', (v) => 1 / Math.sqrt(v)], ['reciprocal', (v) => 1 / v], ['sin', Math.sin], ['cos', Math.cos], ['tanh', Math.tanh],
      ['sigmoid', (v) => 1 / (1 + Math.exp(-v))], ['logSigmoid', (v) => -Math.log1p(Math.exp(-v))], ['softplus', (v) => Math.log1p(Math.exp(v))],
    ];
    for (const [op, fn] of approx) {
      const got = (y as any)[op]().toArray() as number[];
      got.forEach((g, i) => expect(g, op).toBeCloseTo(fn([0.5, 1, 4][i]), 5));
    }
    expect(f([1]).erf().item()).toBeCloseTo(0.8427007, 6);
    expect(f([1]).gelu().item()).toBeCloseTo(0.8413447, 6);
    expect((f([-2, 3]).leakyRelu().toArray() as number[])[0]).toBeCloseTo(-0.02, 7);
    expect(f([-2, 3]).leakyRelu(0.5).toArray()).toEqual([-1, 3]);
  });
  it('computes binary ops and comparisons', () => {
    const a = f([1, 4, -3]);
    const b = f([2, 2, 2]);
    expect(a.pow(2).toArray()).toEqual([1, 16, 9]);
    expect(a.remainder(2).toArray()).toEqual([1, 0, 1]);
    expect(maximum(a, b).toArray()).toEqual([2, 4, 2]);
    expect(a.minimum(b).toArray()).toEqual([1, 2, -3]);
    expect(a.gt(b).toArray()).toEqual([false, true, false]);
    expect(a.ge(1).dtype).toBe('bool');
    expect(a.eq(4).toArray()).toEqual([false, true, false]);
    expect(a.ne(4).toArray()).toEqual([true, false, true]);
    expect(a.lt(b).toArray()).toEqual([true, false, true]);
    expect(a.le(1).toArray()).toEqual([true, false, true]);
    expect(tensor([true, false]).logicalAnd(tensor([true, true])).toArray()).toEqual([true, false]);
    expect(tensor([true, false]).logicalOr(false).toArray()).toEqual([true, false]);
    expect(f([0, 2]).logicalNot().toArray()).toEqual([true, false]);
  });
  it('where and clamp', () => {
    expect(where(tensor([true, false]), f([1, 2]), 0).toArray()).toEqual([1, 0]);
    expect(f([1, 2]).where(tensor([false, true]), f([9])).toArray()).toEqual([9, 2]);
    expect(where(f([1, 0]), 1, 2.5).toArray()).toEqual([1, 2.5]);
    expect(clamp(f([-2, 0.5, 3]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(f([-2, 3]).clamp(null, 1).toArray()).toEqual([-2, 1]);
    expect(f([-2, 3]).clamp(f([0, 0]), f([1, 1])).toArray()).toEqual([0, 1]);
    expect(tensor([-2, 3]).clamp(0).dtype).toBe('int32');
    expect(() => f([1]).clamp()).toThrow('[clamp] expected at least one of min and max');
  });
  it('accepts non-contiguous inputs everywhere', () => {
    const m = arange(6).float().reshape([2, 3]).t(); // [3,2] transposed view
    expect(m.isContiguous()).toBe(false);
    expect(m.add(1).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(exp(m).log().toArray()).toEqual([[0, 3], [1, 4], [2, 5]].map((r) => r.map((v) => Math.fround(Math.log(Math.fround(Math.exp(v)))))));
    expect(m.mul(m).sum(0).toArray()).toEqual([5, 50]);
    const e = ones([3]).expand([2, 3]);
    expect(e.add(zeros([2, 3])).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
  it('names mixed backends', async () => {
    const { createJsBackend } = await import('@nabla/backend-js');
    const other = f([1, 2]).toBackend(createJsBackend());
    expect(() => f([1, 2]).add(other)).toThrow('[add] tensors are on different backends: js and js (two instances with the same name)');
  });
});
