import { describe, expect, it } from 'vitest';
import { tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint, manualSeed } from './index';

describe('tensor()', () => {
  it('infers dtype like torch.tensor', () => {
    expect(tensor([1, 2]).dtype).toBe('int32');
    expect(tensor([1, 2.5]).dtype).toBe('float32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor([]).dtype).toBe('float32');
  });
  it('reads nested arrays, typed arrays with a shape, and honours dtype', () => {
    expect(tensor([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor([1, 2], { dtype: 'float64' }).toArray()).toEqual([1, 2]);
    expect(tensor([0, 2, NaN], { dtype: 'bool' }).toArray()).toEqual([false, true, true]);
    expect(tensor([1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
  });
  it('rejects ragged arrays, bad elements, bad shapes and dtypes', () => {
    expect(() => tensor([[1, 2, 3], [4, 5]])).toThrow('[tensor] ragged nested array: expected length 3 at depth 1, got 2');
    expect(() => tensor([[1, 2], 3] as never)).toThrow('[tensor] ragged nested array');
    expect(() => tensor(['a'] as never)).toThrow('[tensor]');
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('[tensor] shape [2,2] needs 4 elements, got 3');
    expect(() => tensor([1], { dtype: 'int64' as never })).toThrow('[tensor] unsupported dtype int64');
  });
  it('copies a tensor (detached, optionally cast or reshaped)', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor(a.t(), { dtype: 'float32' });
    expect(b.toArray()).toEqual([[1, 3], [2, 4]]);
    expect(b.dtype).toBe('float32');
    expect(b._store).not.toBe(a._store);
    expect(tensor(a, { shape: [4] }).toArray()).toEqual([1, 2, 3, 4]);
  });
  it('sets requiresGrad only on float tensors', () => {
    expect(tensor([1.5], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => tensor([1], { requiresGrad: true })).toThrow('[requiresGrad] only floating-point tensors');
  });
});

describe('creation ops', () => {
  it('fill', () => {
    expect(zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones(3).toArray()).toEqual([1, 1, 1]);
    expect(ones([2]).dtype).toBe('float32');
    expect(full([2], 7).dtype).toBe('int32');
    expect(full([2], 0.5).toArray()).toEqual([0.5, 0.5]);
    expect(full([1], true).dtype).toBe('bool');
    const x = tensor([[1, 2]], { dtype: 'float64' });
    expect(zerosLike(x).dtype).toBe('float64');
    expect(onesLike(x).toArray()).toEqual([[1, 1]]);
    expect(fullLike(x, 3).toArray()).toEqual([[3, 3]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
  it('ranges', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(4).dtype).toBe('int32');
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => arange(0, 1, 0)).toThrow('[arange] step must be nonzero');
    expect(() => arange(0, 5, -1)).toThrow('[arange] upper bound and step sign are inconsistent');
  });
  it('refuses a second dim where options belong (never a silently wrong shape)', () => {
    expect(() => (zeros as any)(2, 3)).toThrow('[zeros] expected an options object, got 3; pass the shape as one array, e.g. zeros([2, 3])');
    expect(() => (randn as any)(2, 3)).toThrow('[randn] expected an options object');
    expect(() => (full as any)([2], 'x')).toThrow('[full] fill value must be a number or boolean, got string');
  });
  it('rejects NaN, negative and fractional shapes', () => {
    expect(() => zeros([2, -1])).toThrow('[zeros] shape must hold non-negative integers, got [2,-1]');
    expect(() => ones([1.5])).toThrow('[ones] shape must hold non-negative integers');
    expect(() => rand([NaN])).toThrow('[rand] shape must hold non-negative integers');
  });
});

describe('random', () => {
  it('repeats after manualSeed and advances the stream', () => {
    manualSeed(7);
    const a = rand([4]).toArray();
    const b = rand([4]).toArray();
    manualSeed(7);
    expect(rand([4]).toArray()).toEqual(a);
    expect(rand([4]).toArray()).toEqual(b);
    expect(a).not.toEqual(b);
  });
  it('gives normal and integer samples with the right moments and ranges', () => {
    manualSeed(1);
    const n = randn([20000]);
    expect(Math.abs(n.mean().item())).toBeLessThan(0.03);
    expect(Math.abs(n.std().item() - 1)).toBeLessThan(0.03);
    const r = randint(3, 6, [1000]);
    expect(r.dtype).toBe('int32');
    expect(r.min().item()).toBe(3);
    expect(r.max().item()).toBe(5);
    expect(() => rand([2], { dtype: 'int32' })).toThrow('[rand] expected a floating dtype, got int32');
    expect(() => randint(3, 3, [1])).toThrow('[randint] expected integers low < high');
  });
});
