import { describe, expect, it } from 'vitest';
import { tensor, arange, sum, softmax, logSumExp, matmul, ones, dot, mm, zeros } from './index';

const f = (x: unknown) => tensor(x as number[]).float();

describe('reductions', () => {
  const x = f([[1, 2, 3], [4, 5, 6]]);
  it('sum/mean/prod over dims with keepdim and negative dims', () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1, { keepdim: true }).toArray()).toEqual([[6], [15]]);
    expect(sum(x, [0, 1]).shape).toEqual([]);
    expect(x.mean(1).toArray()).toEqual([2, 5]);
    expect(x.prod(1).toArray()).toEqual([6, 120]);
    expect(tensor([true, true, false]).sum().toArray()).toBe(2);
    expect(tensor([true]).sum().dtype).toBe('int32');
    expect(tensor([1, 2]).mean().dtype).toBe('float32');
    expect(zeros([0]).mean().item()).toBeNaN();
  });
  it('max/min/amax/amin/argmax/argmin', () => {
    expect(x.max().item()).toBe(6);
    expect(x.max(1).toArray()).toEqual([3, 6]);
    expect(x.min(0, { keepdim: true }).toArray()).toEqual([[1, 2, 3]]);
    expect(x.amax([0, 1]).item()).toBe(6);
    expect(x.amin(1).toArray()).toEqual([1, 4]);
    expect(x.argmax().item()).toBe(5);
    expect(x.argmax(0).toArray()).toEqual([1, 1, 1]);
    expect(x.argmin(1, { keepdim: true }).toArray()).toEqual([[0], [0]]);
    const { values, indices } = x.maxWithIndices(1);
    expect(values.toArray()).toEqual([3, 6]);
    expect(indices.toArray()).toEqual([2, 2]);
    expect(x.minWithIndices(0).indices.dtype).toBe('int32');
    expect(() => zeros([0, 2]).amax(0)).toThrow('[amax] cannot reduce over dim 0 of size 0');
  });
  it('var and std: unbiased by default, correction and unbiased options', () => {
    const v = f([1, 2, 3, 4]);
    expect(v.var().item()).toBeCloseTo(1.6666666, 6);
    expect(v.var(0, { unbiased: false }).item()).toBeCloseTo(1.25, 6);
    expect(v.var(null, { correction: 0 }).item()).toBeCloseTo(1.25, 6);
    expect(v.std().item()).toBeCloseTo(Math.sqrt(5 / 3), 6);
    expect(x.var(1, { keepdim: true }).shape).toEqual([2, 1]);
  });
  it('softmax, logSoftmax and logSumExp are stable', () => {
    const big = f([[1000, 1000], [0, Math.log(3)]]);
    expect(softmax(big, -1).toArray()).toEqual([[0.5, 0.5], [0.25, 0.75]]);
    expect((big.logSoftmax(1).toArray() as number[][])[0][0]).toBeCloseTo(-Math.log(2), 6);
    expect(logSumExp(big, 1).toArray()).toEqual([1000 + Math.fround(Math.log(2)), Math.fround(Math.log(4))].map((v) => expect.closeTo(v, 4)));
    expect(f([-Infinity, -Infinity]).logSumExp(0).item()).toBe(-Infinity);
    // Non-last dim and non-contiguous input take the composite path.
    expect(big.t().softmax(0).toArray()).toEqual([[0.5, 0.25], [0.5, 0.75]].map((r) => r.map((v) => expect.closeTo(v, 6))));
  });
  it('rejects bad dims', () => {
    expect(() => x.sum(2)).toThrow('[sum] dim 2 out of range for a tensor of rank 2 (expected -2..1)');
    expect(() => x.sum([0, 0])).toThrow('[sum] dim 0 appears more than once');
    expect(() => x.softmax(5)).toThrow('[softmax] dim 5 out of range');
    expect(() => x.sum({ keepdim: true } as never)).toThrow('[sum] dim must be a number or an array of numbers, got {"keepdim":true}; options go second');
    expect(() => x.size(2)).toThrow('[size] dim 2 out of range');
    expect(() => x.to('int64' as never)).toThrow('[cast] unsupported dtype int64');
  });
});

describe('matmul', () => {
  it('handles 1-D, 2-D and batched with broadcasting', () => {
    const a = arange(6).float().reshape([2, 3]);
    const b = arange(6).float().reshape([3, 2]);
    expect(a.matmul(b).toArray()).toEqual([[10, 13], [28, 40]]);
    expect(matmul(f([1, 2, 3]), b).toArray()).toEqual([16, 22]);
    expect(matmul(a, f([1, 1, 1])).toArray()).toEqual([3, 12]);
    expect(dot(f([1, 2]), f([3, 4])).item()).toBe(11);
    expect(mm(a, b).shape).toEqual([2, 2]);
    const batch = arange(24).float().reshape([2, 3, 4]);
    const out = batch.matmul(ones([4, 5]));
    expect(out.shape).toEqual([2, 3, 5]);
    expect((out.toArray() as number[][][])[1][2][0]).toBe(20 + 21 + 22 + 23);
    // Broadcast batch dims in the middle ([2,1,..] @ [3,..]) and transposed operands.
    const c = arange(8).float().reshape([2, 1, 2, 2]);
    const d = arange(12).float().reshape([3, 2, 2]).transpose(1, 2);
    const r = c.matmul(d);
    expect(r.shape).toEqual([2, 3, 2, 2]);
    expect((r.toArray() as number[][][][])[1][2]).toEqual([[4 * 8 + 5 * 9, 4 * 10 + 5 * 11], [6 * 8 + 7 * 9, 6 * 10 + 7 * 11]]);
    expect(tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray()).toEqual([[11]]);
    expect(tensor([[1, 2]]).matmul(f([[3], [4]])).dtype).toBe('float32');
  });
  it('names both shapes on mismatch', () => {
    expect(() => ones([2, 3]).matmul(ones([4, 5]))).toThrow('[matmul] inner dimensions differ: a=[2,3] b=[4,5]');
    expect(() => ones([3]).matmul(ones([4]))).toThrow('[matmul] inner dimensions differ: a=[3] b=[4]');
    expect(() => ones([2, 2, 3]).matmul(ones([3, 3, 1]))).toThrow('[matmul] shapes cannot be broadcast together: a=[2] b=[3]');
    expect(() => ones([]).matmul(ones([2]))).toThrow('[matmul] both arguments need at least 1 dim');
    expect(() => mm(ones([2]), ones([2, 2]))).toThrow('[mm] expects 2-D tensors: a=[2] b=[2,2]');
  });
});
