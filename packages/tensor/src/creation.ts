/**
 * Creation ops and the seeded random stream. Every random fill draws from one
 * global (seed, counter) stream advanced by core's `randomAdvance`, so any
 * backend produces the same numbers after the same `manualSeed`.
 */
import {
  ARRAY_TYPES, NablaError, allocArray, assertDType, checkShape, fmtShape, isFloating, randomAdvance, uniformAt,
  type Backend, type DType, type TypedArray,
} from '@nabla/core';
import { defaultBackend, empty, output } from './dispatch';
import { parseNested, type NestedArray } from './nested';
import { Tensor } from './tensor';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
export interface TensorOptions extends CreateOptions {
  /** Shape for flat (typed or plain) data; nested arrays are reshaped to it. */
  shape?: readonly number[];
}
export type ShapeArg = number | readonly number[];

function shapeOf(op: string, shape: ShapeArg): number[] {
  return checkShape(op, typeof shape === 'number' ? [shape] : shape);
}

/** Catches `zeros(2, 3)` (a second dim where options belong), which would otherwise give a silently wrong shape. */
function checkOpts(op: string, opts: unknown): void {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
    throw new NablaError(op, `expected an options object, got ${JSON.stringify(opts)}; pass the shape as one array, e.g. ${op}([2, 3])`);
  }
}

function shapeAndOpts(op: string, shape: ShapeArg, opts: unknown): number[] {
  checkOpts(op, opts);
  return shapeOf(op, shape);
}

function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * A contiguous tensor on `backend` whose values are unspecified (torch.empty): its storage may be one a
 * released tensor left behind. For outputs that a kernel then writes in full.
 * @example
 * const out = emptyOn(x.backend, x.dtype, [x.shape[0]]);
 */
export function emptyOn(backend: Backend, dtype: DType, shape: readonly number[]): Tensor {
  return output(backend, assertDType('emptyOn', dtype), checkShape('emptyOn', shape));
}

/** A tensor on `backend` holding host data (converted to `dtype`). */
export function fromHost(backend: Backend, dtype: DType, shape: readonly number[], data: ArrayLike<number>): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  // Data for every element overwrites the storage: no need to zero it first.
  const t = (data.length === n && n > 0 ? output : empty)(backend, dtype, shape);
  if (data.length === 0) return t;
  let arr: TypedArray;
  if (data instanceof ARRAY_TYPES[dtype]) arr = data as TypedArray;
  else {
    arr = allocArray(dtype, data.length);
    // Typed-array stores already truncate (int32) and round (float32); bool needs v != 0 (NaN counts as true, as torch).
    if (dtype === 'bool') for (let i = 0; i < data.length; i++) arr[i] = data[i] !== 0 ? 1 : 0;
    else arr.set(data);
  }
  backend.write(t.storage, dtype, 0, arr);
  return t;
}

const TYPED_DTYPE: [new (...a: any[]) => ArrayLike<number>, DType][] = [
  [Float32Array, 'float32'], [Float64Array, 'float64'], [Int32Array, 'int32'], [Int16Array, 'int32'],
  [Int8Array, 'int32'], [Uint16Array, 'int32'], [Uint8Array, 'int32'], [Uint8ClampedArray, 'int32'],
];

/**
 * A tensor from nested arrays, a number/boolean, or a typed array (with `shape`).
 * dtype is inferred like torch.tensor: booleans -> bool, integers -> int32, otherwise float32.
 * @example
 * tensor([[1, 2], [3, 4]]).dtype;               // 'int32'
 * tensor([0.5, 1]).toString();                    // 'tensor([0.5000, 1.0000])'
 * tensor(new Float32Array(6), { shape: [2, 3] }); // zeros of shape [2, 3]
 */
export function tensor(data: NestedArray | ArrayLike<number> | Tensor, opts: TensorOptions = {}): Tensor {
  checkOpts('tensor', opts);
  if (opts.dtype !== undefined) assertDType('tensor', opts.dtype);
  if (data instanceof Tensor) {
    // Like torch.tensor(t): a detached copy (on t's backend), optionally cast and reshaped.
    const src = opts.shape ? data.detach().reshape(checkShape('tensor', opts.shape)) : data.detach();
    return finish(fromHost(data.backend, opts.dtype ?? data.dtype, src.shape, src.data()), opts);
  }
  const be = defaultBackend();
  let shape: number[];
  let flat: ArrayLike<number>;
  let inferred: DType;
  if (ArrayBuffer.isView(data)) {
    const entry = TYPED_DTYPE.find(([C]) => data instanceof C);
    if (!entry) throw new NablaError('tensor', `unsupported typed array ${data.constructor.name}`);
    inferred = entry[1];
    flat = data as ArrayLike<number>;
    shape = [flat.length];
  } else {
    const p = parseNested('tensor', data as NestedArray);
    shape = p.shape;
    inferred = p.dtype;
    flat = p.flat as unknown as ArrayLike<number>;
    if (p.dtype === 'bool' || p.flat.some((v) => typeof v === 'boolean')) flat = p.flat.map(Number);
  }
  if (opts.shape !== undefined) {
    const want = checkShape('tensor', opts.shape);
    let n = 1;
    for (const d of want) n *= d;
    if (n !== flat.length) throw new NablaError('tensor', `shape ${fmtShape(want)} needs ${n} elements, got ${flat.length} (data shape ${fmtShape(shape)})`);
    shape = want;
  }
  return finish(fromHost(be, opts.dtype ?? inferred, shape, flat), opts);
}

export function zeros(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  const s = shapeAndOpts('zeros', shape, opts);
  return finish(empty(defaultBackend(), assertDType('zeros', opts.dtype ?? 'float32'), s), opts);
}

export function ones(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return fillOn('ones', defaultBackend(), shapeAndOpts('ones', shape, opts), 1, opts.dtype ?? 'float32', opts);
}

/** A tensor filled with `value`; dtype follows the value like torch.full (bool, int32 or float32). */
export function full(shape: ShapeArg, value: number | boolean, opts: CreateOptions = {}): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new NablaError('full', `fill value must be a number or boolean, got ${typeof value}`);
  const dt = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int32' : 'float32');
  return fillOn('full', defaultBackend(), shapeAndOpts('full', shape, opts), Number(value), dt, opts);
}

export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return finish(empty(t.backend, opts.dtype ?? t.dtype, t.shape), opts);
}

export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return fillOn('onesLike', t.backend, t.shape, 1, opts.dtype ?? t.dtype, opts);
}

export function fullLike(t: Tensor, value: number | boolean, opts: CreateOptions = {}): Tensor {
  return fillOn('fullLike', t.backend, t.shape, Number(value), opts.dtype ?? t.dtype, opts);
}

function fillOn(op: string, be: Backend, shape: readonly number[], value: number, dtype: DType, opts: CreateOptions): Tensor {
  assertDType(op, dtype);
  const t = empty(be, dtype, shape);
  if (value !== 0 && t.numel > 0) be.write(t.storage, dtype, 0, allocArray(dtype, t.numel).fill(value));
  return finish(t, opts);
}

/** Values from start (inclusive) to end (exclusive) by step on a given backend. */
export function arangeOn(be: Backend, start: number, end: number, step: number, dtype: DType): Tensor {
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step)) {
    throw new NablaError('arange', `start, end and step must be finite, got ${start}, ${end}, ${step}`);
  }
  if (step === 0) throw new NablaError('arange', 'step must be nonzero');
  if ((end - start) / step < 0) throw new NablaError('arange', `upper bound and step sign are inconsistent: start=${start} end=${end} step=${step}`);
  const n = Math.ceil((end - start) / step);
  const data = allocArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromHost(be, dtype, [n], data);
}

/**
 * arange(end) or arange(start, end, step): int32 when all arguments are integers, else float32.
 * @example
 * arange(5).toArray();         // [0, 1, 2, 3, 4]
 * arange(0, 1, 0.25).toArray(); // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  const dt = opts.dtype ?? ([s, e, step].every(Number.isInteger) ? 'int32' : 'float32');
  return finish(arangeOn(defaultBackend(), s, e, step, assertDType('arange', dt)), opts);
}

/** `steps` evenly spaced values from start to end inclusive (computed from both ends, as torch). */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new NablaError('linspace', `steps must be a non-negative integer, got ${steps}`);
  const dt = assertDType('linspace', opts.dtype ?? 'float32');
  const data = allocArray(dt, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
  return finish(fromHost(defaultBackend(), dt, [steps], data), opts);
}

/** An n x m identity matrix (m defaults to n). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const [r, c] = checkShape('eye', [n, m]);
  const dt = assertDType('eye', opts.dtype ?? 'float32');
  const data = allocArray(dt, r * c);
  for (let i = 0; i < Math.min(r, c); i++) data[i * c + i] = 1;
  return finish(fromHost(defaultBackend(), dt, [r, c], data), opts);
}

// The global stream: torch-like manualSeed resets the counter so runs repeat exactly.
const rng = { seed: 0, counter: 0 };

/** Seeds the global random stream (and rewinds it). */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new NablaError('manualSeed', `seed must be a finite number, got ${seed}`);
  rng.seed = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
  rng.counter = 0;
}

/** The stream position, to save and restore (`setRngState`). */
export function getRngState(): { seed: number; counter: number } {
  return { seed: rng.seed, counter: rng.counter };
}

export function setRngState(state: { seed: number; counter: number }): void {
  rng.seed = state.seed >>> 0;
  rng.counter = state.counter;
}

function randomFill(op: string, dist: 'uniform' | 'normal', shape: ShapeArg, opts: CreateOptions): Tensor {
  checkOpts(op, opts);
  const dt = assertDType(op, opts.dtype ?? 'float32');
  if (!isFloating(dt)) throw new NablaError(op, `expected a floating dtype, got ${dt}`);
  const be = defaultBackend();
  const t = empty(be, dt, shapeOf(op, shape));
  if (t.numel > 0) be.kernels.fillRandom(t, dist, rng.seed, rng.counter);
  rng.counter += randomAdvance(dist, t.numel);
  return finish(t, opts);
}

/** Uniform samples in [0, 1). */
export function rand(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return randomFill('rand', 'uniform', shape, opts);
}

/** Standard normal samples (Box–Muller over the same stream). */
export function randn(shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  return randomFill('randn', 'normal', shape, opts);
}

/** Integers uniform in [low, high), int32, drawn from the uniform stream (same numbers on every backend). */
export function randint(low: number, high: number, shape: ShapeArg, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new NablaError('randint', `expected integers low < high, got low=${low} high=${high}`);
  }
  const s = shapeOf('randint', shape);
  let n = 1;
  for (const d of s) n *= d;
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = low + Math.floor(uniformAt(rng.seed, rng.counter + i) * (high - low));
  rng.counter += randomAdvance('uniform', n);
  return fromHost(defaultBackend(), opts.dtype ?? 'int32', s, data);
}
