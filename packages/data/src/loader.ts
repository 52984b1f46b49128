/** Mini-batches: the lesson's SGD estimates ∇L by (1/|B|) Σ_{i∈B} ∇L_i over shuffled batches B. */
import { NablaError } from '@nabla/core';
import { stack, tensor, type Tensor } from '@nabla/tensor';
import { Subset, TensorDataset, permutation, type Dataset } from './dataset';

export interface DataLoaderOptions {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  /** Seed of the shuffle; epoch e uses the stream (seed, e), so runs repeat exactly. */
  seed?: number;
}

/**
 * Iterates a dataset in mini-batches; each `for..of` is one epoch.
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 1 });
 * for (const [xb, yb] of loader) { ... }
 */
export class DataLoader<T> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  private epoch = 0;

  constructor(
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions = {},
  ) {
    const { batchSize = 1, shuffle = false, dropLast = false, seed = 0 } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new NablaError('DataLoader', `batchSize must be a positive integer, got ${batchSize}`);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    // Mix the epoch into the seed so each epoch gets a fresh, reproducible order.
    const order = this.shuffle ? permutation(n, (this.seed * 1000003 + this.epoch) >>> 0) : Array.from({ length: n }, (_, i) => i);
    this.epoch++;
    for (let start = 0; start < n; start += this.batchSize) {
      const idx = order.slice(start, start + this.batchSize);
      if (idx.length < this.batchSize && this.dropLast) break;
      yield fetchBatch(this.dataset, idx);
    }
  }
}

function fetchBatch<T>(dataset: Dataset<T>, idx: number[]): T {
  const tensorRows = resolveTensorDataset(dataset, idx);
  if (tensorRows) return tensorRows.ds.getBatch(tensorRows.idx) as T;
  return collate(idx.map((i) => dataset.get(i)));
}

// Subsets of a TensorDataset batch with indexSelect too.
function resolveTensorDataset<T>(dataset: Dataset<T>, idx: number[]): { ds: TensorDataset; idx: number[] } | null {
  if (dataset instanceof TensorDataset) return { ds: dataset, idx };
  if (dataset instanceof Subset) return resolveTensorDataset(dataset.dataset, idx.map((i) => dataset.indices[i]));
  return null;
}

/** Stacks a list of items (tensors, or arrays/records of tensors) along a new dim 0. */
export function collate<T>(items: T[]): T {
  const first = items[0] as unknown;
  if (isTensor(first)) return stack(items as unknown as Tensor[], 0) as T;
  if (Array.isArray(first)) return first.map((_, k) => collate(items.map((it) => (it as unknown[])[k]))) as T;
  if (typeof first === 'number') return tensor(items as unknown as number[]) as T;
  if (first && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = collate(items.map((it) => (it as Record<string, unknown>)[key]));
    return out as T;
  }
  throw new NablaError('DataLoader', `cannot batch items of type ${typeof first}`);
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'shape' in x && typeof (x as Tensor).indexSelect === 'function';
}
