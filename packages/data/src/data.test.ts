import { describe, expect, it } from 'vitest';
import { arange, tensor } from '@nabla/tensor';
import { DataLoader, TensorDataset, mnistFromIdx, permutation, randomSplit, readIdx, writeIdxUint8, type Dataset } from './index';

const xy = () => new TensorDataset(arange(10).reshape([10, 1]).mul(1.5), arange(10));

describe('TensorDataset', () => {
  it('indexes rows and refuses mismatched lengths', () => {
    const ds = xy();
    expect(ds.length).toBe(10);
    const [x, y] = ds.get(3);
    expect(x.toArray()).toEqual([4.5]);
    expect(y.item()).toBe(3);
    expect(() => ds.get(10)).toThrow('[TensorDataset] index 10 out of range');
    expect(() => new TensorDataset(arange(3), arange(4))).toThrow('[TensorDataset] every tensor needs the same size in dim 0');
  });
});

describe('DataLoader', () => {
  it('batches in order without shuffle, keeping the last partial batch', () => {
    const batches = [...new DataLoader(xy(), { batchSize: 4 })];
    expect(batches.map(([, y]) => y.toArray())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[0][0].shape).toEqual([4, 1]);
  });
  it('drops the last partial batch when asked', () => {
    const loader = new DataLoader(xy(), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].length).toBe(2);
  });
  it('shuffles reproducibly, differently each epoch, covering every row once', () => {
    const order = (l: DataLoader<any>) => [...l].flatMap(([, y]) => y.toArray() as number[]);
    const a = new DataLoader(xy(), { batchSize: 3, shuffle: true, seed: 7 });
    const b = new DataLoader(xy(), { batchSize: 3, shuffle: true, seed: 7 });
    const e1 = order(a);
    expect(e1).toEqual(order(b));
    expect([...e1].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(order(a)).not.toEqual(e1);
  });
  it('collates plain datasets of records by stacking', () => {
    const ds: Dataset<{ x: ReturnType<typeof tensor>; label: number }> = {
      length: 3,
      get: (i) => ({ x: tensor([i, i + 1]), label: i }),
    };
    const [batch] = [...new DataLoader(ds, { batchSize: 3 })];
    expect(batch.x.toArray()).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect((batch.label as unknown as ReturnType<typeof tensor>).toArray()).toEqual([0, 1, 2]);
  });
  it('refuses a bad batch size', () => {
    expect(() => new DataLoader(xy(), { batchSize: 0 })).toThrow('[DataLoader] batchSize must be a positive integer');
  });
});

describe('randomSplit', () => {
  it('splits by fractions or counts into disjoint subsets', () => {
    const [a, b] = randomSplit(xy(), [0.8, 0.2], { seed: 1 });
    expect([a.length, b.length]).toEqual([8, 2]);
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(randomSplit(xy(), [3, 7], { seed: 1 }).map((s) => s.length)).toEqual([3, 7]);
    expect(() => randomSplit(xy(), [3, 3])).toThrow('[randomSplit]');
  });
  it('batches subsets of a TensorDataset', () => {
    const [a] = randomSplit(xy(), [4, 6], { seed: 2 });
    const [[, y]] = [...new DataLoader(a, { batchSize: 4 })];
    expect(y.toArray()).toEqual(a.indices);
  });
  it('uses a seeded permutation', () => {
    expect(permutation(5, 3)).toEqual(permutation(5, 3));
    expect(permutation(50, 3)).not.toEqual(permutation(50, 4));
  });
});

describe('IDX', () => {
  it('reads MNIST-shaped files written by the test', () => {
    const pixels = Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 10);
    const { images, labels } = mnistFromIdx(writeIdxUint8([2, 3, 3], pixels), writeIdxUint8([2], [7, 1]));
    expect(images.shape).toEqual([2, 3, 3]);
    expect(images.dtype).toBe('float32');
    expect((images.toArray() as number[][][])[1][2][2]).toBeCloseTo(170 / 255, 6);
    expect(labels.toArray()).toEqual([7, 1]);
  });
  it('rejects malformed files', () => {
    expect(() => readIdx(new Uint8Array([1, 0, 8, 1]))).toThrow('[readIdx] not an IDX file');
    expect(() => readIdx(new Uint8Array([0, 0, 0x42, 1]))).toThrow('unknown IDX type code 0x42');
    const truncated = writeIdxUint8([4, 4], new Array(16).fill(1)).subarray(0, 20);
    expect(() => readIdx(truncated)).toThrow('truncated');
    expect(() => mnistFromIdx(writeIdxUint8([2, 2, 2], new Array(8).fill(0)), writeIdxUint8([3], [1, 2, 3]))).toThrow('[mnistFromIdx] labels [3] do not match images [2,2,2]');
  });
});
