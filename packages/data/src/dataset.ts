/** Datasets: anything with a length and an item getter. */
import { NablaError, randomBits } from '@nabla/core';
import { tensor, type Tensor } from '@nabla/tensor';

export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/**
 * Rows of equally long tensors, indexed along dim 0; a DataLoader batches it
 * with one `indexSelect` per tensor instead of stacking rows.
 * @example
 * const ds = new TensorDataset(x, y); // x [N, 784], y [N]
 * ds.get(0); // [x[0], y[0]]
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> implements Dataset<T> {
  readonly tensors: T;
  constructor(...tensors: T) {
    if (tensors.length === 0) throw new NablaError('TensorDataset', 'needs at least one tensor');
    const n = tensors[0].shape[0];
    for (const t of tensors) {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new NablaError('TensorDataset', `every tensor needs the same size in dim 0, got shapes ${tensors.map((x) => `[${x.shape.join(',')}]`).join(' and ')}`);
      }
    }
    this.tensors = tensors;
  }
  get length(): number {
    return this.tensors[0].shape[0];
  }
  get(index: number): T {
    checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => t.select(0, index)) as T;
  }
  /** The rows at `indices`, batched. */
  getBatch(indices: readonly number[]): T {
    const idx = tensor(Int32Array.from(indices), { dtype: 'int32' });
    return this.tensors.map((t) => t.indexSelect(0, idx)) as T;
  }
}

/** A view of `dataset` restricted to `indices`. */
export class Subset<T> implements Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: readonly number[],
  ) {}
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    checkIndex('Subset', index, this.length);
    return this.dataset.get(this.indices[index]);
  }
}

function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new NablaError(op, `index ${index} out of range for a dataset of length ${length}`);
  }
}

/** A seeded Fisher–Yates permutation of 0..n-1 from core's counter-based stream. */
export function permutation(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    // Multiply-shift maps 32 random bits onto 0..i without modulo bias worth caring about at these sizes.
    const j = Math.floor((randomBits(seed, n - 1 - i) / 4294967296) * (i + 1));
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

/**
 * Splits a dataset into non-overlapping random subsets, by counts or by fractions summing to 1.
 * @example
 * const [train, test] = randomSplit(ds, [0.8, 0.2], { seed: 0 });
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: { seed?: number } = {}): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths.slice();
  const fractional = counts.every((x) => x >= 0 && x <= 1) && Math.abs(counts.reduce((a, b) => a + b, 0) - 1) < 1e-9 && counts.some((x) => !Number.isInteger(x));
  if (fractional) {
    counts = counts.map((f) => Math.floor(f * n));
    // Hand the remainder out round-robin, as PyTorch does.
    for (let i = 0; counts.reduce((a, b) => a + b, 0) < n; i = (i + 1) % counts.length) counts[i]++;
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0) || counts.reduce((a, b) => a + b, 0) !== n) {
    throw new NablaError('randomSplit', `lengths [${lengths.join(',')}] must be counts summing to ${n} or fractions summing to 1`);
  }
  const perm = permutation(n, options.seed ?? 0);
  let at = 0;
  return counts.map((c) => {
    const part = new Subset(dataset, perm.slice(at, at + c));
    at += c;
    return part;
  });
}
