/** The element types of nabla and PyTorch's promotion rules between them. */
import { NablaError } from './errors';

export const DTYPES = ['float32', 'float64', 'int32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];
export type FloatDType = 'float32' | 'float64';

/** The typed array that holds each dtype on the host. */
export interface TypedArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}
export type TypedArray = TypedArrayMap[DType];

export const DEFAULT_DTYPE: FloatDType = 'float32';

export const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const satisfies Record<DType, { BYTES_PER_ELEMENT: number }>;

export function bytesPerElement(dtype: DType): number {
  return ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

export function allocArray<D extends DType>(dtype: D, size: number): TypedArrayMap[D] {
  return new ARRAY_TYPES[dtype](size) as TypedArrayMap[D];
}

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export function isFloating(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

// Categories order promotion: a higher category always wins; within a category the wider type wins.
const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** torch.promote_types for two tensor dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype of a plain JS number taking part in an op: integral numbers count as int, others as float. */
export function scalarCategory(x: number | boolean): DType {
  if (typeof x === 'boolean') return 'bool';
  return Number.isInteger(x) ? 'int32' : 'float32';
}

/**
 * torch.result_type for tensors and plain numbers: numbers only raise the result
 * when they belong to a higher category (float32 tensor + 2.5 stays float32,
 * int32 tensor + 2.5 becomes the default float dtype).
 */
export function resultType(tensorDtypes: readonly DType[], scalars: readonly (number | boolean)[] = []): DType {
  let out: DType = tensorDtypes[0] ?? 'bool';
  for (const d of tensorDtypes) out = promoteTypes(out, d);
  for (const s of scalars) {
    const d = scalarCategory(s);
    if (CATEGORY[d] > CATEGORY[out]) out = d === 'float32' ? DEFAULT_DTYPE : d;
  }
  return out;
}

export function assertDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw new NablaError(op, `unsupported dtype ${String(dtype)}; expected one of ${DTYPES.join(', ')}`);
  return dtype;
}
