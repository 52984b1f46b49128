/**
 * The edge-case table: inputs where backends most often disagree (infinities,
 * NaN, signed zero, int32 wrap-around, rounding ties, saturation). Each row is
 * one kernel call on tiny tensors. backend-js tests it, and the conformance
 * suite runs it on every backend for every dtype the backend declares.
 * Expected values come from PyTorch 1.13 where PyTorch defines them; where it
 * raises or is undefined (int division by zero, float->int overflow) the row pins
 * nabla's choice, documented in scalar.ts.
 * Comparison: exact (NaN equals NaN, -0 equals 0) unless `rtol`/`atol` is given.
 */
import { ARRAY_TYPES, type ArgReduceOp, type Backend, type BinaryOp, type DType, type ReduceOp, type UnaryOp, type View } from '@nabla/core';

interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
}
export type EdgeCase =
  | ({ readonly kind: 'unary'; readonly op: UnaryOp; readonly dtype: DType; readonly inputs: readonly [number]; readonly expected: number } & Tol)
  | ({ readonly kind: 'binary'; readonly op: BinaryOp; readonly dtype: DType; readonly inputs: readonly [number, number]; readonly expected: number } & Tol)
  | { readonly kind: 'cast'; readonly op: 'cast'; readonly dtype: DType; readonly to: DType; readonly inputs: readonly [number]; readonly expected: number }
  | { readonly kind: 'reduce'; readonly op: ReduceOp; readonly dtype: DType; readonly inputs: readonly number[]; readonly expected: number }
  | { readonly kind: 'argReduce'; readonly op: ArgReduceOp; readonly dtype: DType; readonly inputs: readonly number[]; readonly expected: number };

const F = ['float32', 'float64'] as const;
const inf = Infinity;
const f32 = Math.fround;
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** Unary rows, for both float dtypes unless one is named. */
function u(op: UnaryOp, x: number, expected: number, tol: Tol = {}, dtypes: readonly DType[] = F): EdgeCase[] {
  return dtypes.map((dtype) => ({ kind: 'unary', op, dtype, inputs: [x], expected, ...tol }));
}
function b(op: BinaryOp, x: number, y: number, expected: number, tol: Tol = {}, dtypes: readonly DType[] = F): EdgeCase[] {
  return dtypes.map((dtype) => ({ kind: 'binary', op, dtype, inputs: [x, y], expected, ...tol }));
}
const cast = (dtype: DType, to: DType, x: number, expected: number): EdgeCase => ({ kind: 'cast', op: 'cast', dtype, to, inputs: [x], expected });
const red = (op: ReduceOp, dtype: DType, inputs: number[], expected: number): EdgeCase => ({ kind: 'reduce', op, dtype, inputs, expected });
const arg = (op: ArgReduceOp, dtype: DType, inputs: number[], expected: number): EdgeCase => ({ kind: 'argReduce', op, dtype, inputs, expected });

const TRANSCENDENTAL = { rtol: 1e-6 };

export const EDGE_CASES: readonly EdgeCase[] = [
  // logs and roots at the edges of their domains
  ...u('log', 0, -inf),
  ...u('log', -0, -inf),
  ...u('log', -1, NaN),
  ...u('log', inf, inf),
  ...u('log', NaN, NaN),
  ...u('log1p', -1, -inf),
  ...u('log1p', 1e-10, 9.9999999995e-11, TRANSCENDENTAL),
  ...u('expm1', 1e-10, 1.00000000005e-10, TRANSCENDENTAL),
  ...u('sqrt', -1, NaN),
  ...u('sqrt', -0, 0),
  ...u('sqrt', inf, inf),
  ...u('rsqrt', 0, inf),
  ...u('rsqrt', -1, NaN),
  ...u('reciprocal', 0, inf),
  ...u('reciprocal', -0, -inf),
  // overflow and saturation
  ...u('exp', 1000, inf),
  ...u('exp', 100, inf, {}, ['float32']),
  ...u('exp', -1000, 0),
  ...u('exp', -inf, 0),
  ...u('tanh', 1000, 1),
  ...u('tanh', -1000, -1),
  ...u('sigmoid', 1000, 1),
  ...u('sigmoid', -1000, 0),
  ...u('sigmoid', -30, 9.357622968840175e-14, TRANSCENDENTAL),
  ...u('sigmoid', 0, 0.5),
  ...u('softplus', 30, 30),
  ...u('softplus', 20, 20.000000002061153, TRANSCENDENTAL),
  ...u('softplus', 1, 1.3132616875182228, TRANSCENDENTAL),
  ...u('erf', 0, 0),
  ...u('erf', inf, 1),
  ...u('erf', -inf, -1),
  ...u('erf', NaN, NaN),
  ...u('erf', 0.5, 0.5204998778130465, TRANSCENDENTAL),
  ...u('erf', -2, -0.9953222650189527, TRANSCENDENTAL),
  ...u('erf', 3.5, 0.9999992569016276, TRANSCENDENTAL),
  ...u('erf', 1e-20, 1.1283791670955125e-20, TRANSCENDENTAL),
  ...u('gelu', 0, 0),
  ...u('gelu', 1, 0.841344746068543, TRANSCENDENTAL),
  ...u('gelu', -5, -1.4332578593401202e-6, { rtol: 1e-4 }),
  // PyTorch's 1+erf form returns -0 here; the exact value is -7.6e-23: both pass.
  ...u('gelu', -10, 0, { atol: 1e-20 }),
  ...u('gelu', inf, inf),
  // PyTorch: -inf * 0 inside gelu gives NaN, not the limit 0.
  ...u('gelu', -inf, NaN),
  ...u('softplus', -inf, 0),
  ...u('sigmoid', -inf, 0),
  ...u('sigmoid', inf, 1),
  ...u('tanh', inf, 1),
  ...u('sin', inf, NaN),
  // signs, zeros and NaN passing through
  ...u('relu', NaN, NaN),
  ...u('relu', -0, 0),
  ...u('relu', -3, 0),
  ...u('sign', 0, 0),
  ...u('sign', NaN, NaN),
  ...u('sign', -3, -1),
  ...u('abs', -inf, inf),
  ...u('neg', 0, -0),
  ...u('logicalNot', NaN, 0),
  ...u('logicalNot', 0, 1),
  // rounding: half to even, floor/ceil toward the right side of zero
  ...u('round', 0.5, 0),
  ...u('round', 1.5, 2),
  ...u('round', 2.5, 2),
  ...u('round', -0.5, -0),
  ...u('round', -1.5, -2),
  ...u('round', 2.4999999, 2),
  ...u('floor', -0.5, -1),
  ...u('ceil', -0.5, -0),
  ...u('square', 1e20, inf, {}, ['float32']),
  // int32: two's-complement wrap-around
  ...u('neg', I32_MIN, I32_MIN, {}, ['int32']),
  ...u('abs', I32_MIN, I32_MIN, {}, ['int32']),
  ...u('square', 65536, 0, {}, ['int32']),
  ...u('square', 46341, -2147479015, {}, ['int32']),
  ...u('sign', -5, -1, {}, ['int32']),
  ...u('relu', -5, 0, {}, ['int32']),
  // int32 ops with no integer meaning compute in float and cast back
  ...u('sqrt', 10, 3, {}, ['int32']),
  ...u('exp', 100, I32_MAX, {}, ['int32']),
  ...u('logicalNot', 1, 0, {}, ['bool']),
  ...u('logicalNot', 0, 1, {}, ['int32', 'bool']),

  // division, IEEE style
  ...b('div', 0, 0, NaN),
  ...b('div', 1, 0, inf),
  ...b('div', -1, 0, -inf),
  ...b('div', 1, -0, -inf),
  // NaN propagates through maximum/minimum from either side (torch.maximum)
  ...b('maximum', NaN, 1, NaN),
  ...b('maximum', 1, NaN, NaN),
  ...b('minimum', NaN, 1, NaN),
  ...b('minimum', 1, NaN, NaN),
  // remainder takes the divisor's sign (Python/torch), not C's fmod
  ...b('mod', -7, 3, 2),
  ...b('mod', 7, -3, -2),
  ...b('mod', -7, -3, -1),
  ...b('mod', 5.5, 2, 1.5),
  ...b('mod', 1, 0, NaN),
  ...b('mod', -0.5, inf, inf),
  // pow follows C/IEEE (PyTorch), where Math.pow differs on 1^NaN and (-1)^inf
  ...b('pow', 0, 0, 1),
  ...b('pow', 2, -1, 0.5),
  ...b('pow', -8, 1 / 3, NaN),
  ...b('pow', 1, NaN, 1),
  ...b('pow', NaN, 0, 1),
  ...b('pow', -1, inf, 1),
  ...b('pow', 0, -1, inf),
  ...b('pow', 2, 0.5, Math.SQRT2, TRANSCENDENTAL),
  // comparisons with NaN are false except ne
  ...b('eq', NaN, NaN, 0),
  ...b('ne', NaN, NaN, 1),
  ...b('lt', NaN, 1, 0),
  ...b('ge', NaN, NaN, 0),
  ...b('logicalAnd', NaN, 1, 1),
  ...b('logicalOr', 0, -0, 0),
  // float32 rounding of results
  ...b('add', 16777216, 1, 16777216, {}, ['float32']),
  ...b('mul', 1e30, 1e30, inf, {}, ['float32']),
  ...b('add', 0.1, 0.2, f32(f32(0.1) + f32(0.2)), {}, ['float32']),
  ...b('add', 2 ** 53, 1, 2 ** 53, {}, ['float64']),
  // int32 arithmetic wraps; division truncates; x/0 and x mod 0 are 0 (PyTorch raises)
  ...b('add', I32_MAX, 1, I32_MIN, {}, ['int32']),
  ...b('sub', I32_MIN, 1, I32_MAX, {}, ['int32']),
  ...b('mul', 65536, 65536, 0, {}, ['int32']),
  ...b('mul', I32_MAX, 2, -2, {}, ['int32']),
  ...b('div', 7, 2, 3, {}, ['int32']),
  ...b('div', -7, 2, -3, {}, ['int32']),
  ...b('div', 7, 0, 0, {}, ['int32']),
  ...b('div', I32_MIN, -1, I32_MIN, {}, ['int32']),
  ...b('mod', -7, 3, 2, {}, ['int32']),
  ...b('mod', 7, -3, -2, {}, ['int32']),
  ...b('mod', 5, 0, 0, {}, ['int32']),
  ...b('pow', 2, 31, I32_MIN, {}, ['int32']),
  ...b('pow', 3, 0, 1, {}, ['int32']),
  ...b('pow', 2, -1, 0, {}, ['int32']),
  ...b('pow', -1, -3, -1, {}, ['int32']),
  ...b('maximum', -3, 2, 2, {}, ['int32']),
  // bool arithmetic is the int result != 0: add = or, sub = xor, mul = and
  ...b('add', 1, 1, 1, {}, ['bool']),
  ...b('sub', 1, 1, 0, {}, ['bool']),
  ...b('mul', 1, 0, 0, {}, ['bool']),
  ...b('maximum', 0, 1, 1, {}, ['bool']),

  // casts: truncate toward zero, saturate, NaN -> 0; to bool is x != 0
  cast('float32', 'int32', 2.9, 2),
  cast('float32', 'int32', -2.9, -2),
  cast('float32', 'int32', NaN, 0),
  cast('float32', 'int32', 3e9, I32_MAX),
  cast('float32', 'int32', -3e9, I32_MIN),
  cast('float32', 'int32', inf, I32_MAX),
  cast('float32', 'int32', -inf, I32_MIN),
  cast('float64', 'int32', 2147483647.9, I32_MAX),
  cast('float64', 'int32', -2147483648.9, I32_MIN),
  cast('float64', 'int32', -0.5, 0),
  cast('float32', 'bool', NaN, 1),
  cast('float32', 'bool', -0, 0),
  cast('float64', 'bool', 1e-300, 1),
  cast('int32', 'bool', -5, 1),
  cast('int32', 'float32', 16777217, 16777216),
  cast('float64', 'float32', 1e40, inf),
  cast('float64', 'float32', 1e-50, 0),
  cast('float64', 'float32', 0.1, f32(0.1)),
  cast('bool', 'float32', 1, 1),
  cast('bool', 'int32', 1, 1),

  // reductions
  red('max', 'float32', [1, NaN, 3], NaN),
  red('min', 'float64', [NaN, 1, 3], NaN),
  red('max', 'float32', [-inf, -inf], -inf),
  red('sum', 'float64', [inf, -inf], NaN),
  red('sum', 'int32', [I32_MAX, 1], I32_MIN),
  red('prod', 'int32', [65536, 65536], 0),
  red('sum', 'float32', [], 0),
  red('prod', 'float64', [], 1),
  red('sum', 'bool', [1, 1], 1),
  red('min', 'bool', [1, 0], 0),
  arg('argmax', 'float32', [NaN, 1, 2, NaN], 0),
  arg('argmax', 'float64', [1, NaN, 5, NaN], 1),
  arg('argmin', 'float32', [3, NaN, -1], 1),
  arg('argmin', 'float64', [3, 1, 1], 1),
  arg('argmax', 'int32', [2, 7, 7], 1),
  arg('argmax', 'float32', [-inf, -inf], 0),
  arg('argmax', 'bool', [0, 1, 1], 1),
];

/** Runs one row on `backend` through the Backend interface only and returns the single result. */
export function evalEdgeCase(backend: Backend, row: EdgeCase): number {
  const tensor = (dtype: DType, data: readonly number[]): View => {
    const storage = backend.alloc(dtype, data.length);
    backend.write(storage, dtype, 0, ARRAY_TYPES[dtype].from(data));
    return { storage, dtype, shape: [data.length], strides: [1], offset: 0 };
  };
  const scalar = (dtype: DType): View => ({ storage: backend.alloc(dtype, 1), dtype, shape: [1], strides: [1], offset: 0 });
  const k = backend.kernels;
  let out: View;
  const made: View[] = [];
  switch (row.kind) {
    case 'unary':
      made.push(tensor(row.dtype, row.inputs));
      out = scalar(row.dtype);
      k.unary(row.op, out, made[0]);
      break;
    case 'binary':
      made.push(tensor(row.dtype, [row.inputs[0]]), tensor(row.dtype, [row.inputs[1]]));
      out = scalar(['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(row.op) ? 'bool' : row.dtype);
      k.binary(row.op, out, made[0], made[1]);
      break;
    case 'cast':
      made.push(tensor(row.dtype, row.inputs));
      out = scalar(row.to);
      k.cast(out, made[0]);
      break;
    case 'reduce':
      made.push(tensor(row.dtype, row.inputs));
      out = scalar(row.dtype);
      k.reduce(row.op, out, made[0], [0]);
      break;
    case 'argReduce':
      made.push(tensor(row.dtype, row.inputs));
      out = scalar('int32');
      k.argReduce(row.op, out, made[0], 0);
      break;
  }
  const got = backend.read(out.storage, out.dtype, 0, 1)[0];
  for (const v of [...made, out]) backend.free(v.storage);
  return got;
}

/** The row's comparison: NaN matches NaN, -0 matches 0, tolerances only where the row gives them. */
export function edgeCaseMatches(row: EdgeCase, got: number): boolean {
  const want = row.expected;
  if (want !== want) return got !== got;
  if (got === want) return true;
  const rtol = 'rtol' in row ? (row.rtol ?? 0) : 0;
  const atol = 'atol' in row ? (row.atol ?? 0) : 0;
  return Number.isFinite(want) && Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

/** A readable label for test names: `log(float32 0) = -Infinity`. */
export function edgeCaseLabel(row: EdgeCase): string {
  const to = row.kind === 'cast' ? `->${row.to}` : '';
  return `${row.op}(${row.dtype}${to} ${row.inputs.map(String).join(', ')}) = ${row.expected}`;
}
