/**
 * The harness a case runs against: it creates operands on one backend, only
 * through alloc/write/read, in random layouts (offsets, permuted and stepped
 * strides, stride-0 broadcasts) drawn from a seeded Rng, so the reference run
 * and the tested run build identical views over identical data.
 */
import { ARRAY_TYPES, type Backend, type DType, type View } from '@nabla/core';
import type { Rng } from './rng';

/** What data an operand holds; each kind suits some ops' domains. */
export type DataKind =
  | 'normal' // N(0, 2), the default for floats
  | 'positive' // (0.05, 5]: logs and roots
  | 'small' // integers in [-6, 6] (floats too: ties for max/argmax and exact ops)
  | 'wide' // ints across the whole int32 range; floats up to ±3e9 (cast saturation)
  | 'unit' // uniform in (-1, 1)
  | 'special' // floats: small integers with NaN and ±inf mixed in (ints: 'small')
  | 'index'; // integers in [0, InputOptions.max]

export interface InputOptions {
  /** Allow stride-0 dims (the operand is broadcast from a smaller shape). */
  readonly broadcast?: boolean;
  /** Force a dense, zero-offset layout (fused kernels require contiguous inputs). */
  readonly contiguous?: boolean;
  /** Upper bound for 'index' data. */
  readonly max?: number;
}

/** How a read-back result is compared. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export interface Result {
  readonly label: string;
  readonly dtype: DType;
  readonly data: ArrayLike<number>;
  readonly tol: Tolerance;
}

const rowMajor = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
};
export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function draw(r: Rng, dtype: DType, kind: DataKind, max = 0): number {
  if (kind === 'index') return r.int(0, max);
  if (dtype === 'bool') return r.chance(0.5) ? 1 : 0;
  const float = dtype === 'float32' || dtype === 'float64';
  let v: number;
  switch (kind) {
    case 'positive':
      v = float ? 0.05 + 4.95 * r.next() : r.int(1, 9);
      break;
    case 'small':
      v = r.int(-6, 6);
      break;
    case 'special': {
      const u = r.next();
      v = !float || u > 0.2 ? r.int(-6, 6) : u < 0.1 ? NaN : u < 0.15 ? Infinity : -Infinity;
      break;
    }
    case 'wide':
      v = float ? (r.next() * 2 - 1) * 3e9 : r.int(-2147483648, 2147483647);
      break;
    case 'unit':
      v = float ? r.next() * 2 - 1 : r.int(-1, 1);
      break;
    case 'normal':
      v = float ? 2 * r.normal() : r.int(-20, 20);
      break;
  }
  return dtype === 'float32' ? Math.fround(v) : v;
}

interface Layout {
  baseSize: number;
  strides: number[];
  offset: number;
}

/** A random layout for `shape`: dense, offset, permuted or stepped (sliced). */
function randomLayout(r: Rng, shape: readonly number[], contiguous: boolean): Layout {
  const n = numel(shape);
  const kind = contiguous ? 'dense' : r.pick(['dense', 'offset', 'permuted', 'sliced', 'sliced'] as const);
  switch (kind) {
    case 'dense':
      return { baseSize: n, strides: rowMajor(shape), offset: 0 };
    case 'offset': {
      const offset = r.int(1, 5);
      return { baseSize: n + offset + r.int(0, 3), strides: rowMajor(shape), offset };
    }
    case 'permuted': {
      const perm = r.perm(shape.length);
      const baseStrides = rowMajor(perm.map((d) => shape[d]));
      const strides = new Array<number>(shape.length);
      perm.forEach((d, i) => (strides[d] = baseStrides[i]));
      return { baseSize: n, strides, offset: 0 };
    }
    case 'sliced': {
      const steps = shape.map(() => r.int(1, 3));
      const baseShape = shape.map((d, i) => Math.max(d, (d - 1) * steps[i] + 1) + r.int(0, 2));
      const baseStrides = rowMajor(baseShape);
      let offset = 0;
      shape.forEach((d, i) => {
        const span = d === 0 ? 1 : (d - 1) * steps[i] + 1;
        offset += r.int(0, baseShape[i] - span) * baseStrides[i];
      });
      return { baseSize: numel(baseShape), strides: baseStrides.map((s, i) => s * steps[i]), offset };
    }
  }
}

/** One backend's side of a case run. */
export class Harness {
  readonly results: Result[] = [];
  private readonly owned: unknown[] = [];
  /** Allocated element count per storage, so `record` can read all of it. */
  private readonly sizes = new Map<unknown, number>();
  constructor(readonly backend: Backend) {}

  private store(dtype: DType, data: readonly number[]): unknown {
    const storage = this.backend.alloc(dtype, Math.max(data.length, 1));
    this.owned.push(storage);
    this.sizes.set(storage, Math.max(data.length, 1));
    if (data.length > 0) this.backend.write(storage, dtype, 0, ARRAY_TYPES[dtype].from(data));
    return storage;
  }

  /** An operand with logical `shape` in a random layout, filled from `kind` (or an explicit row-major `values`). */
  input(r: Rng, dtype: DType, shape: readonly number[], kind: DataKind | readonly number[], o: InputOptions = {}): View {
    // A broadcast operand is laid out at a smaller shape (1 on some dims), then viewed with stride 0 there.
    const src = o.broadcast && !o.contiguous ? shape.map((d) => (d > 1 && r.chance(0.3) ? 1 : d)) : shape.slice();
    const layout = randomLayout(r, src, o.contiguous ?? false);
    const base = Array.from({ length: layout.baseSize }, () => (typeof kind === 'string' ? draw(r, dtype, kind, o.max) : 0));
    if (typeof kind !== 'string') {
      // Explicit values go to the positions the view reads, in row-major order of the view.
      const strides = layout.strides;
      for (let i = 0; i < kind.length; i++) {
        let rem = i;
        let off = layout.offset;
        for (let d = src.length - 1; d >= 0; d--) {
          off += (rem % src[d]) * strides[d];
          rem = Math.floor(rem / src[d]);
        }
        base[off] = kind[i];
      }
    }
    const strides = layout.strides.map((s, d) => (src[d] === 1 && shape[d] !== 1 ? 0 : s));
    return { storage: this.store(dtype, base), dtype, shape: shape.slice(), strides, offset: layout.offset };
  }

  /**
   * An output: contiguous at a random offset inside a larger buffer prefilled with
   * sentinels (`strided` gives it a random non-broadcast layout instead, for copy).
   * `record` later reads the whole buffer, so writes outside the view are caught.
   */
  output(r: Rng, dtype: DType, shape: readonly number[], strided = false, fill?: DataKind): View {
    const layout = randomLayout(r, shape, !strided);
    if (!strided && r.chance(0.5)) {
      layout.offset = r.int(1, 3);
      layout.baseSize += layout.offset + r.int(0, 2);
    }
    const base = Array.from({ length: layout.baseSize }, (_, i) => (fill ? draw(r, dtype, fill) : sentinel(dtype, i)));
    return { storage: this.store(dtype, base), dtype, shape: shape.slice(), strides: layout.strides, offset: layout.offset };
  }

  /** Reads the whole buffer behind `v` for comparison. */
  record(label: string, v: View, tol: Tolerance): void {
    const size = this.sizes.get(v.storage) ?? 0;
    this.results.push({ label, dtype: v.dtype, data: this.backend.read(v.storage, v.dtype, 0, size), tol });
  }

  dispose(): void {
    for (const s of this.owned) this.backend.free(s);
    this.owned.length = 0;
    this.sizes.clear();
  }
}

/** Recognisable filler for output slack: a kernel that writes outside its view changes it. */
function sentinel(dtype: DType, i: number): number {
  if (dtype === 'bool') return i % 2;
  if (dtype === 'int32') return -123456 - i;
  return -777.25 - i;
}
