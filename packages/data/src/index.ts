/** @nabla/data: datasets, seeded mini-batch loading, and the MNIST IDX reader. */
export { TensorDataset, Subset, randomSplit, permutation, type Dataset } from './dataset';
export { DataLoader, collate, type DataLoaderOptions } from './loader';
export { readIdx, writeIdxUint8, mnistFromIdx, type IdxArray } from './idx';
