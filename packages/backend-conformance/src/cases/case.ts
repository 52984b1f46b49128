/** A conformance case: builds operands from a seeded Rng, calls kernels, records results for comparison. */
import type { DType, FusedKernelName } from '@nabla/core';
import type { Harness } from '../harness';
import type { Rng } from '../rng';

export interface Case {
  readonly name: string;
  /** Every dtype the case touches; the case runs only if the backend declares them all. */
  readonly dtypes: readonly DType[];
  /** A fused kernel the backend must provide for the case to run. */
  readonly fused?: FusedKernelName;
  readonly trials: number;
  run(h: Harness, r: Rng): void;
}

export const FLOATS = ['float32', 'float64'] as const;
export const ALL_DTYPES = ['float32', 'float64', 'int32', 'bool'] as const;

export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  readonly maxSize?: number;
  /** Probability that a dim is 0 (size-0 tensors). */
  readonly zero?: number;
}

/** A random shape: rank 0..4 by default, dims from 0..7 weighted toward small, at most maxSize elements. */
export function randomShape(r: Rng, o: ShapeOptions = {}): number[] {
  const rank = r.int(o.minRank ?? 0, o.maxRank ?? 4);
  const shape = Array.from({ length: rank }, () => (r.chance(o.zero ?? 0.04) ? 0 : r.pick([1, 1, 2, 3, 4, 5, 7])));
  const max = o.maxSize ?? 256;
  for (let d = 0; shape.reduce((a, b) => a * b, 1) > max; d = (d + 1) % rank) shape[d] = Math.max(1, shape[d] >> 1);
  return shape;
}

export const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;
