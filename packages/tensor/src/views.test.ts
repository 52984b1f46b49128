import { describe, expect, it } from 'vitest';
import { tensor, arange, cat, stack, oneHot, zeros, ones } from './index';

const m = () => arange(6).float().reshape([2, 3]);

describe('views share storage', () => {
  it('reshape/view/flatten/squeeze/unsqueeze/permute/transpose/expand/slice/narrow/select are views', () => {
    const x = m();
    const views = [
      x.reshape([3, 2]), x.view(6), x.view(-1, 2), x.flatten(), x.unsqueeze(0), x.unsqueeze(-1).squeeze(-1), x.t(), x.transpose(0, 1),
      x.permute([1, 0]), x.slice(1, 0, 3, 2), x.narrow(1, 1, 2), x.select(0, 1), x.expand([4, 2, 3]), x.broadcastTo([1, 2, 3]),
    ];
    for (const v of views) expect(v._store).toBe(x._store);
    x.add_(10);
    expect(views[0].toArray()).toEqual([[10, 11], [12, 13], [14, 15]]);
  });
  it('computes shapes, strides and values like torch', () => {
    const x = m();
    expect(x.t().strides).toEqual([1, 3]);
    expect(x.t().toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(x.slice(1, null, null, 2).toArray()).toEqual([[0, 2], [3, 5]]);
    expect(x.slice(1, -2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(x.slice(0, 5, 9).shape).toEqual([0, 3]);
    expect(x.select(1, -1).toArray()).toEqual([2, 5]);
    expect(x.narrow(0, 1, 1).toArray()).toEqual([[3, 4, 5]]);
    expect(x.expand([2, -1, -1]).shape).toEqual([2, 2, 3]);
    expect(x.unsqueeze(1).expand(2, 4, 3).strides).toEqual([3, 0, 1]);
    expect(ones([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(ones([1, 3, 1]).squeeze(0).shape).toEqual([3, 1]);
    expect(arange(24).reshape([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expect(arange(24).reshape([2, 3, 4]).permute(2, 0, 1).shape).toEqual([4, 2, 3]);
  });
  it('reshape copies only when it must; view refuses', () => {
    const t = m().t();
    const r = t.reshape([6]);
    expect(r._store).not.toBe(t._store);
    expect(r.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => t.view([6])).toThrow('[view] view size is not compatible');
    expect(t.reshape([3, 2])._store).toBe(t._store); // unchanged shape of a transposed view: still a view
    expect(t.contiguous().isContiguous()).toBe(true);
  });
  it('rejects bad view arguments with shapes in the message', () => {
    const x = m();
    expect(() => x.reshape([4, 2])).toThrow('[reshape] shape [4,2] is invalid for input of shape [2,3]');
    expect(() => x.reshape([-1, -1])).toThrow('[reshape] only one dimension can be -1');
    expect(() => x.expand([3, 3])).toThrow('[expand] cannot expand shape [2,3] to [3,3]');
    expect(() => x.permute([0, 0])).toThrow('[permute] dims [0,0] repeat a dim');
    expect(() => x.select(0, 2)).toThrow('[select] index 2 out of range for dim 0 of shape [2,3]');
    expect(() => x.narrow(1, 2, 2)).toThrow('[narrow] start 2 and length 2 out of range for dim 1 of shape [2,3]');
    expect(() => x.slice(1, 0, 3, 0)).toThrow('[slice] step must be a positive integer, got 0');
    expect(() => x.transpose(0, 2)).toThrow('[transpose] dim 2 out of range');
    expect(() => x.unsqueeze(3)).toThrow('[unsqueeze] dim 3 out of range');
    expect(() => ones([2, 2, 2]).t()).toThrow('[t] expects a tensor with <= 2 dims');
  });
});

describe('join and index ops', () => {
  it('cat/stack/split/chunk', () => {
    const a = m();
    expect(cat([a, a], 0).shape).toEqual([4, 3]);
    expect(cat([a, ones([2, 1])], 1).toArray()).toEqual([[0, 1, 2, 1], [3, 4, 5, 1]]);
    expect(cat([tensor([1]), tensor([0.5])]).dtype).toBe('float32');
    expect(stack([a, a], 1).shape).toEqual([2, 2, 3]);
    expect(a.split(2, 1).map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
    expect(a.split([1, 2], 1)[1].toArray()).toEqual([[1, 2], [4, 5]]);
    expect(arange(5).chunk(3).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => cat([a, ones([3, 3])], 1)).toThrow('[cat] shapes must match except in dim 1: [2,3] vs [3,3]');
    expect(() => stack([a, ones([3])])).toThrow('[stack] all tensors must have the same shape');
    expect(() => a.split([1, 1], 1)).toThrow('[split] sizes [1,1] must be non-negative integers summing to 3');
    expect(() => cat([])).toThrow('[cat] expected a non-empty list of tensors');
  });
  it('gather/scatterAdd/indexSelect/oneHot', () => {
    const a = m();
    const idx = tensor([[2, 0], [1, 1]]);
    expect(a.gather(1, idx).toArray()).toEqual([[2, 0], [4, 4]]);
    expect(zeros([2, 3]).scatterAdd(1, idx, ones([2, 2])).toArray()).toEqual([[1, 0, 1], [0, 2, 0]]);
    expect(zeros([3, 3]).scatterAdd(0, tensor([[2, 0]]), ones([1, 2])).toArray()).toEqual([[0, 1, 0], [0, 0, 0], [1, 0, 0]]);
    expect(a.indexSelect(1, tensor([2, 2, 0])).toArray()).toEqual([[2, 2, 0], [5, 5, 3]]);
    expect(a.t().indexSelect(0, tensor([1])).toArray()).toEqual([[1, 4]]);
    expect(oneHot(tensor([0, 2]), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(oneHot(tensor([1, 3])).shape).toEqual([2, 4]);
    expect(oneHot(tensor([1])).dtype).toBe('int32');
    expect(() => a.gather(1, tensor([[0.5]]))).toThrow('[gather] index must be int32, got float32');
    expect(() => a.gather(1, tensor([[7]]))).toThrow(/\[gather\] index 7 out of range/);
    expect(() => oneHot(tensor([3]), 3)).toThrow('[oneHot] class values must be smaller than numClasses 3, got 3');
    expect(() => oneHot(tensor([-1]), 3)).toThrow('[oneHot] class values must be non-negative, got -1');
  });
});
