/**
 * Elementwise ops: validate, promote (torch.result_type), broadcast as stride-0
 * views, then one backend kernel, then record for autograd. Plain numbers act
 * as rank-0 tensors of the promoted dtype.
 */
import {
  NablaError, assertDType, broadcastShapes, isFloating, promoteTypes, resultType, type BinaryOp, type DType, type UnaryOp,
} from '@nabla/core';
import { alive, backendOf, broadcastView, constant, output } from './dispatch';
import { gradMode, record } from './graph';
import { Tensor } from './tensor';

/** A tensor or a plain number/boolean broadcast as a scalar. */
export type TensorLike = Tensor | number | boolean;

/**
 * float: computes in floating point (int/bool inputs promote to float32).
 * keep: keeps int32 (bool promotes to int32). logical: works on bool.
 * `grad` marks ops with a useful derivative; `saveOut` ops hand their output to the vjp.
 */
interface UnaryInfo { kind: 'float' | 'keep' | 'logical'; grad: boolean; saveOut?: boolean }
const UNARY = {
  neg: { kind: 'keep', grad: true },
  abs: { kind: 'keep', grad: true },
  sign: { kind: 'keep', grad: false },
  reciprocal: { kind: 'float', grad: true, saveOut: true },
  square: { kind: 'keep', grad: true },
  sqrt: { kind: 'float', grad: true, saveOut: true },
  rsqrt: { kind: 'float', grad: true, saveOut: true },
  exp: { kind: 'float', grad: true, saveOut: true },
  expm1: { kind: 'float', grad: true, saveOut: true },
  log: { kind: 'float', grad: true },
  log1p: { kind: 'float', grad: true },
  sin: { kind: 'float', grad: true },
  cos: { kind: 'float', grad: true },
  tanh: { kind: 'float', grad: true, saveOut: true },
  erf: { kind: 'float', grad: true },
  sigmoid: { kind: 'float', grad: true, saveOut: true },
  relu: { kind: 'keep', grad: true },
  gelu: { kind: 'float', grad: true },
  softplus: { kind: 'float', grad: true },
  floor: { kind: 'keep', grad: false },
  ceil: { kind: 'keep', grad: false },
  round: { kind: 'keep', grad: false },
  logicalNot: { kind: 'logical', grad: false },
} as const satisfies Record<UnaryOp, UnaryInfo>;

/** Converts dtype, recording 'cast' when the result is floating (grads never flow into ints). */
export function cast(x: Tensor, dtype: DType): Tensor {
  const be = backendOf('cast', x);
  assertDType('cast', dtype);
  if (x.dtype === dtype) return x;
  const out = output(be, dtype, x.shape);
  be.kernels.cast(out, x);
  if (gradMode.enabled && x.requiresGrad && isFloating(dtype)) record('cast', [x], out, { from: x.dtype, to: dtype });
  return out;
}

/** Disposes an internal temporary unless autograd holds on to it. */
function drop(tmp: Tensor, orig: TensorLike): void {
  if (tmp !== orig && !tmp.requiresGrad) tmp.dispose();
}

export function unary(op: UnaryOp, x: Tensor): Tensor {
  const be = backendOf(op, x);
  const info: UnaryInfo = UNARY[op];
  let dt = x.dtype;
  if (info.kind === 'float') { if (!isFloating(dt)) dt = 'float32'; }
  else if (info.kind === 'logical') dt = 'bool';
  else if (dt === 'bool') {
    if (op === 'neg') throw new NablaError('neg', 'negation of a bool tensor is not supported; use logicalNot');
    dt = 'int32';
  }
  const src = dt === x.dtype ? x : cast(x, dt);
  const out = output(be, dt, src.shape);
  be.kernels.unary(op, out, src);
  if (info.grad && gradMode.enabled && src.requiresGrad) record(op, [src], out, {}, info.saveOut ? [out] : []);
  drop(src, x);
  return out;
}

const DIFFERENTIABLE_BINARY: Partial<Record<BinaryOp, true>> = { add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true, mod: true };

/**
 * torch.result_type over operands: tensors with dims decide; rank-0 tensors and then plain
 * numbers only raise the category (float32[3] + float64[] stays float32, int32[3] + 2.5 -> float32).
 */
export function operandsResultType(xs: readonly TensorLike[]): DType {
  const dims: DType[] = [];
  const zero: DType[] = [];
  const scalars: (number | boolean)[] = [];
  for (const x of xs) {
    if (x instanceof Tensor) (x.ndim > 0 ? dims : zero).push(x.dtype);
    else scalars.push(x);
  }
  const lower = combine(zero.length ? resultType(zero) : undefined, scalars.length ? resultType([], scalars) : undefined);
  return combine(dims.length ? resultType(dims) : undefined, lower) ?? 'float32';
}

// torch's combine_categories: the higher tier wins unless the lower one is a higher category.
function combine(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined || isFloating(higher)) return higher;
  if (higher === 'bool' || isFloating(lower)) return lower === 'float64' && !isFloating(higher) ? 'float64' : promoteTypes(higher, lower);
  return higher;
}

/** The dtype both operands are brought to before the kernel runs. */
function computeDType(op: BinaryOp, a: TensorLike, b: TensorLike): DType {
  if (op === 'logicalAnd' || op === 'logicalOr') return 'bool';
  let dt = operandsResultType([a, b]);
  // True division (torch): ints divide as floats. Bool arithmetic has no bool kernel: count as int32.
  if (op === 'div' && !isFloating(dt)) dt = 'float32';
  else if (dt === 'bool' && op !== 'eq' && op !== 'ne' && op !== 'maximum' && op !== 'minimum') dt = 'int32';
  return dt;
}

function operand(op: string, x: TensorLike, dt: DType, like: Tensor): Tensor {
  if (x instanceof Tensor) return x.dtype === dt ? x : cast(x, dt);
  if (typeof x === 'boolean') return constant(like.backend, dt, x ? 1 : 0);
  if (typeof x !== 'number') throw new NablaError(op, `expected a tensor, number or boolean operand, got ${typeof x}`);
  return constant(like.backend, dt, x);
}

const isCompare = (op: BinaryOp): boolean => op === 'eq' || op === 'ne' || op === 'lt' || op === 'le' || op === 'gt' || op === 'ge';

export function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  // Fast path: two live tensors of one dtype and shape on one backend (the common training-loop case).
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && a.dtype !== 'bool' && op !== 'div' && !isCompare(op) && op !== 'logicalAnd' && op !== 'logicalOr') {
    const be = backendOf(op, a, b);
    const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
    const out = output(be, a.dtype, shape);
    be.kernels.binary(op, out, broadcastView(a, shape), broadcastView(b, shape));
    if (gradMode.enabled && (a.requiresGrad || b.requiresGrad) && DIFFERENTIABLE_BINARY[op]) record(op, [a, b], out);
    return out;
  }
  // Fast path: float tensor with a plain number (x.mul(2)); a number never changes a float dtype.
  if (a instanceof Tensor && typeof b === 'number' && (a.dtype === 'float32' || a.dtype === 'float64') && DIFFERENTIABLE_BINARY[op]) {
    const be = backendOf(op, a);
    const c = constant(be, a.dtype, b);
    const out = output(be, a.dtype, a.shape);
    be.kernels.binary(op, out, a, broadcastView(c, a.shape));
    if (gradMode.enabled && a.requiresGrad) record(op, [a, c], out);
    else if (!c.pinned) c.dispose();
    return out;
  }
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : undefined;
  if (like === undefined) throw new NablaError(op, 'expected at least one tensor operand, got two numbers');
  if (a instanceof Tensor) alive(op, a);
  if (b instanceof Tensor) alive(op, b);
  const dt = computeDType(op, a, b);
  const ta = operand(op, a, dt, like);
  const tb = operand(op, b, dt, like);
  const be = backendOf(op, ta, tb);
  const shape = sameShape(ta.shape, tb.shape) ? ta.shape : broadcastShapes(op, ta.shape, tb.shape);
  const out = output(be, isCompare(op) || op === 'logicalAnd' || op === 'logicalOr' ? 'bool' : dt, shape);
  be.kernels.binary(op, out, broadcastView(ta, shape), broadcastView(tb, shape));
  if (gradMode.enabled && (ta.requiresGrad || tb.requiresGrad) && DIFFERENTIABLE_BINARY[op] && isFloating(dt)) {
    record(op, [ta, tb], out); // the vjp may read both operands, so neither temporary is dropped
  } else {
    drop(ta, a);
    drop(tb, b);
  }
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** torch.where: `cond ? a : b` elementwise with broadcasting over all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor)) throw new NablaError('where', 'condition must be a tensor');
  alive('where', cond);
  for (const x of [a, b]) if (x instanceof Tensor) alive('where', x);
  const dt = operandsResultType([a, b]);
  const c = cond.dtype === 'bool' ? cond : cast(cond, 'bool');
  const ta = operand('where', a, dt, cond);
  const tb = operand('where', b, dt, cond);
  const be = backendOf('where', c, ta, tb);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, ta.shape), tb.shape);
  const out = output(be, dt, shape);
  be.kernels.where(out, broadcastView(c, shape), broadcastView(ta, shape), broadcastView(tb, shape));
  if (gradMode.enabled && (ta.requiresGrad || tb.requiresGrad)) {
    record('where', [c, ta, tb], out);
  } else {
    drop(c, cond);
    drop(ta, a);
    drop(tb, b);
  }
  return out;
}

/**
 * Clamps into [min, max] (either may be omitted). Number bounds record one 'clamp'
 * node (gradient 1 inside the closed interval, as torch); tensor bounds compose maximum/minimum.
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  alive('clamp', x);
  const lo = min ?? undefined;
  const hi = max ?? undefined;
  if (lo === undefined && hi === undefined) throw new NablaError('clamp', 'expected at least one of min and max');
  if (lo instanceof Tensor || hi instanceof Tensor) {
    const y = lo === undefined ? x : binary('maximum', x, lo);
    return hi === undefined ? y : binary('minimum', y, hi);
  }
  const scal: number[] = [];
  if (lo !== undefined) scal.push(Number(lo));
  if (hi !== undefined) scal.push(Number(hi));
  const dt = resultType([x.dtype], scal);
  const src = x.dtype === dt ? x : cast(x, dt);
  const be = src.backend;
  let cur = src;
  if (lo !== undefined) {
    const o = output(be, dt, src.shape);
    be.kernels.binary('maximum', o, cur, broadcastView(constant(be, dt, Number(lo)), src.shape));
    cur = o;
  }
  if (hi !== undefined) {
    const o = output(be, dt, src.shape);
    be.kernels.binary('minimum', o, cur, broadcastView(constant(be, dt, Number(hi)), src.shape));
    if (cur !== src) cur.dispose();
    cur = o;
  }
  if (gradMode.enabled && src.requiresGrad) record('clamp', [src], cur, { min: lo === undefined ? undefined : Number(lo), max: hi === undefined ? undefined : Number(hi) });
  drop(src, x);
  return cur;
}

/** where(x > 0, x, slope * x): composite, so autograd sees gt (no grad), mul and where. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  const pos = binary('gt', x, 0);
  const out = where(pos, x, binary('mul', x, slope));
  if (!gradMode.enabled || !x.requiresGrad) pos.dispose();
  return out;
}

/** log(sigmoid(x)) = -softplus(-x): stays finite for large |x|. */
export function logSigmoid(x: Tensor): Tensor {
  return unary('neg', unary('softplus', unary('neg', x)));
}
