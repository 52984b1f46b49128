/**
 * The scalar semantics of every elementwise primitive, one table row per op and
 * dtype class. This file is the definition other backends are tested against.
 *
 * dtype classes:
 * - float (float32, float64): rows compute in float64; a float32 store rounds to
 *   nearest-even (Float32Array does it), so float32 results are "the float64
 *   result rounded once", the best a float32 kernel can return.
 * - int32: arithmetic wraps modulo 2^32 (Math.imul, |0), like C/PyTorch two's
 *   complement. Ops without an integer meaning (exp, sqrt, sigmoid, ...) compute
 *   the float row and convert back with cast's rules (truncate, saturate, NaN -> 0).
 * - bool (stored as 0/1): each row computes the int32 row and converts with
 *   x != 0, so add = or, mul = and, maximum = or, minimum = and, sub = xor.
 */
import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@nabla/core';

export type UnaryFn = (x: number) => number;
export type BinaryFn = (a: number, b: number) => number;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** float -> int32: truncate toward zero, saturate to the int32 range, NaN -> 0. */
export function toInt32(x: number): number {
  if (x !== x) return 0;
  if (x >= INT32_MAX) return INT32_MAX;
  if (x <= INT32_MIN) return INT32_MIN;
  return x | 0; // |0 truncates toward zero for in-range values
}

/** any -> bool: x != 0, so NaN is true (as PyTorch). */
export function toBool(x: number): number {
  return x !== 0 ? 1 : 0;
}

/** The conversion a store into `dtype` applies; floats need none (the typed array rounds). */
export const CAST_TO = {
  float32: (x: number) => x,
  float64: (x: number) => x,
  int32: toInt32,
  bool: toBool,
} as const satisfies Record<DType, UnaryFn>;

// ---- erf / erfc, accurate to a few ulp in float64 ----

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/** Below this |x| the series is used, above it the continued fraction (which needs < 100 terms there). */
const CF_FROM = 1.5;

/** erf(x) for |x| < CF_FROM by the all-positive series e^{-x^2} * 2/sqrt(pi) * sum (2x^2)^n x / (1*3*...*(2n+1)): no cancellation. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= CF_FROM by its continued fraction (modified Lentz), which converges fast there. */
function erfcFraction(x: number): number {
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRT_PI * Math.exp(-x * x)) / f;
}

export function erf(x: number): number {
  if (x !== x) return x;
  if (x >= CF_FROM) return x > 6 ? 1 : 1 - erfcFraction(x);
  if (x <= -CF_FROM) return x < -6 ? -1 : erfcFraction(-x) - 1;
  return erfSeries(x);
}

/** erfc without cancellation for large x (gelu needs it for very negative inputs). */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x >= CF_FROM) return x > 27 ? 0 : erfcFraction(x);
  if (x <= -CF_FROM) return x < -6 ? 2 : 2 - erfcFraction(-x);
  return 1 - erfSeries(x);
}

/** Round half to even (torch.round / numpy.round), unlike Math.round's half-up. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Logistic without overflow: exp is only ever taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** C/IEEE pow (what PyTorch returns): pow(1, y) = 1 and pow(-1, ±inf) = 1 even for NaN y, where Math.pow says NaN. */
export function powC(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

// ---- float rows ----

export const FLOAT_UNARY = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  // sign(0) = 0, sign(NaN) = NaN: the comparisons fall through to x itself.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sqrt: (x) => Math.sqrt(x),
  rsqrt: (x) => 1 / Math.sqrt(x),
  exp: (x) => Math.exp(x),
  expm1: (x) => Math.expm1(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  tanh: (x) => Math.tanh(x),
  erf,
  sigmoid,
  // relu(NaN) = NaN (PyTorch); written so a NaN passes through the comparison.
  relu: (x) => (x > 0 || x !== x ? x : 0),
  // Exact gelu, 0.5 x (1 + erf(x/sqrt2)) = 0.5 x erfc(-x/sqrt2): the erfc form keeps precision for very negative x.
  gelu: (x) => 0.5 * x * erfc(-x * Math.SQRT1_2),
  // torch.nn.functional.softplus with beta 1, threshold 20: linear above the threshold.
  softplus: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  floor: (x) => Math.floor(x),
  ceil: (x) => Math.ceil(x),
  round: roundHalfEven,
  // NaN is truthy, so logicalNot(NaN) = 0.
  logicalNot: (x) => (x === 0 ? 1 : 0),
} satisfies Record<UnaryOp, UnaryFn>;

/** Python/torch remainder: the result takes the divisor's sign; x mod 0 = NaN for floats. */
function floatMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export const FLOAT_BINARY = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powC,
  // torch.maximum/minimum propagate NaN from either side; Math.max/min do too.
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  mod: floatMod,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
} satisfies Record<BinaryOp, BinaryFn>;

// ---- int32 rows ----

/** Integer power with wrap-around; negative exponents give the truncated real result (only ±1 survive). */
function intPow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let result = 1;
  let base = a;
  let e = b;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return result;
}

/**
 * Python/torch remainder for ints. PyTorch raises on integer division by zero;
 * a kernel cannot raise per element, so x mod 0 = 0 here (and x div 0 = 0).
 */
function intMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return (r !== 0 && r < 0 !== b < 0 ? r + b : r) | 0;
}

const viaFloatToInt = (op: UnaryOp): UnaryFn => {
  const f = FLOAT_UNARY[op];
  return (x) => toInt32(f(x));
};

export const INT_UNARY = {
  // -INT32_MIN wraps to INT32_MIN, as two's complement (torch.neg on int32 does the same).
  neg: (x) => -x | 0,
  abs: (x) => Math.abs(x) | 0,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  reciprocal: viaFloatToInt('reciprocal'),
  square: (x) => Math.imul(x, x),
  sqrt: viaFloatToInt('sqrt'),
  rsqrt: viaFloatToInt('rsqrt'),
  exp: viaFloatToInt('exp'),
  expm1: viaFloatToInt('expm1'),
  log: viaFloatToInt('log'),
  log1p: viaFloatToInt('log1p'),
  sin: viaFloatToInt('sin'),
  cos: viaFloatToInt('cos'),
  tanh: viaFloatToInt('tanh'),
  erf: viaFloatToInt('erf'),
  sigmoid: viaFloatToInt('sigmoid'),
  relu: (x) => (x > 0 ? x : 0),
  gelu: viaFloatToInt('gelu'),
  softplus: viaFloatToInt('softplus'),
  floor: (x) => x,
  ceil: (x) => x,
  round: (x) => x,
  logicalNot: (x) => (x === 0 ? 1 : 0),
} satisfies Record<UnaryOp, UnaryFn>;

export const INT_BINARY = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  // Truncation toward zero; x / 0 = 0 (PyTorch raises). Tensor's `/` casts to float first and never calls this.
  div: (a, b) => (b === 0 ? 0 : (a / b) | 0),
  pow: intPow,
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
  mod: intMod,
  eq: FLOAT_BINARY.eq,
  ne: FLOAT_BINARY.ne,
  lt: FLOAT_BINARY.lt,
  le: FLOAT_BINARY.le,
  gt: FLOAT_BINARY.gt,
  ge: FLOAT_BINARY.ge,
  logicalAnd: FLOAT_BINARY.logicalAnd,
  logicalOr: FLOAT_BINARY.logicalOr,
} satisfies Record<BinaryOp, BinaryFn>;

// ---- bool rows: the int32 row, then x != 0 ----

const mapRecord = <K extends string, V, W>(rec: Record<K, V>, f: (v: V) => W): Record<K, W> =>
  Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, f(v as V)])) as Record<K, W>;

export const BOOL_UNARY: Record<UnaryOp, UnaryFn> = mapRecord(INT_UNARY, (f: UnaryFn) => (x: number) => toBool(f(x)));
export const BOOL_BINARY: Record<BinaryOp, BinaryFn> = mapRecord(
  INT_BINARY,
  (f: BinaryFn) => (a: number, b: number) => toBool(f(a, b)),
);

const UNARY_BY_DTYPE = {
  float32: FLOAT_UNARY,
  float64: FLOAT_UNARY,
  int32: INT_UNARY,
  bool: BOOL_UNARY,
} as const satisfies Record<DType, Record<UnaryOp, UnaryFn>>;

const BINARY_BY_DTYPE = {
  float32: FLOAT_BINARY,
  float64: FLOAT_BINARY,
  int32: INT_BINARY,
  bool: BOOL_BINARY,
} as const satisfies Record<DType, Record<BinaryOp, BinaryFn>>;

export function unaryFn(op: UnaryOp, dtype: DType): UnaryFn {
  return UNARY_BY_DTYPE[dtype][op];
}

export function binaryFn(op: BinaryOp, dtype: DType): BinaryFn {
  return BINARY_BY_DTYPE[dtype][op];
}

// ---- reductions: an identity and a combine step per op ----

export interface ReduceRow {
  readonly init: number;
  readonly float: BinaryFn;
  readonly int: BinaryFn;
}

/**
 * Floats accumulate in float64 and round once at the end. max/min propagate NaN
 * (torch.max/amax). The empty reduction yields the identity (max of nothing is
 * -inf, INT32_MIN for int32); @nabla/tensor rejects empty max/min before calling.
 */
export const REDUCE = {
  sum: { init: 0, float: (acc, x) => acc + x, int: (acc, x) => (acc + x) | 0 },
  prod: { init: 1, float: (acc, x) => acc * x, int: (acc, x) => Math.imul(acc, x) },
  max: { init: -Infinity, float: (acc, x) => (x > acc || x !== x ? x : acc), int: (acc, x) => (x > acc ? x : acc) },
  min: { init: Infinity, float: (acc, x) => (x < acc || x !== x ? x : acc), int: (acc, x) => (x < acc ? x : acc) },
} satisfies Record<ReduceOp, ReduceRow>;
