/**
 * In-place ops for optimizers and buffers. They write through the tensor's own
 * strides, bump the storage version (so autograd can detect a tensor saved for
 * backward being overwritten) and are never recorded: under grad mode they
 * refuse tensors that take part in differentiation, as torch refuses leaves.
 */
import { NablaError, fmtShape, isContiguous, isFloating, promoteTypes, resultType, shapesEqual, type BinaryOp, type DType } from '@nabla/core';
import { alive, backendOf, broadcastView, constant, empty } from './dispatch';
import { cast, type TensorLike } from './elementwise';
import { gradMode } from './graph';
import { Tensor } from './tensor';

function checkTarget(op: string, self: Tensor, other?: Tensor): void {
  alive(op, self);
  if (!gradMode.enabled) return;
  if (self.requiresGrad && self.isLeaf) {
    throw new NablaError(op, 'a leaf tensor that requires grad cannot be modified in place while grad mode is on; wrap the update in noGrad()');
  }
  if (self.requiresGrad || other?.requiresGrad) {
    throw new NablaError(op, 'in-place ops are not recorded for autograd; use the out-of-place op or run under noGrad()');
  }
}

function operandFor(op: string, self: Tensor, x: TensorLike): Tensor {
  if (x instanceof Tensor) {
    backendOf(op, self, x);
    const dt = resultType([self.dtype, x.dtype]);
    canStore(op, dt, self.dtype);
    if (!shapesEqual(self.shape, x.shape)) {
      // The result must keep self's shape: x has to broadcast to it, not the other way round.
      const ok = x.ndim <= self.ndim && x.shape.every((d, i) => d === 1 || d === self.shape[self.ndim - x.ndim + i]);
      if (!ok) throw new NablaError(op, `cannot broadcast other=${fmtShape(x.shape)} into self=${fmtShape(self.shape)} in place`);
    }
    return x.dtype === self.dtype ? x : cast(x, self.dtype);
  }
  if (typeof x !== 'number' && typeof x !== 'boolean') throw new NablaError(op, `expected a tensor or number, got ${typeof x}`);
  canStore(op, resultType([self.dtype], [x]), self.dtype);
  return constant(self.backend, self.dtype, Number(x));
}

function canStore(op: string, result: DType, into: DType): void {
  if (promoteTypes(result, into) !== into) throw new NablaError(op, `result type ${result} can't be cast to the in-place tensor's dtype ${into}`);
}

/** Writes op(self, other) into self through self's strides. */
function binaryInPlace(op: string, kernel: BinaryOp, self: Tensor, other: TensorLike): Tensor {
  checkTarget(op, self, other instanceof Tensor ? other : undefined);
  if (kernel === 'div' && !isFloating(self.dtype)) throw new NablaError(op, `true division can't write into an ${self.dtype} tensor`);
  const o = operandFor(op, self, other);
  const be = self.backend;
  const b = broadcastView(o, self.shape);
  if (isContiguous(self.shape, self.strides)) be.kernels.binary(kernel, self, self, b);
  else {
    const tmp = empty(be, self.dtype, self.shape);
    be.kernels.binary(kernel, tmp, self, b);
    be.kernels.copy(self, tmp);
    tmp.dispose();
  }
  if (o !== other && !o.pinned) o.dispose();
  self._store.version++;
  return self;
}

export const addInPlace = (self: Tensor, other: TensorLike): Tensor => binaryInPlace('add_', 'add', self, other);
export const subInPlace = (self: Tensor, other: TensorLike): Tensor => binaryInPlace('sub_', 'sub', self, other);
export const mulInPlace = (self: Tensor, other: TensorLike): Tensor => binaryInPlace('mul_', 'mul', self, other);
export const divInPlace = (self: Tensor, other: TensorLike): Tensor => binaryInPlace('div_', 'div', self, other);

/** self += alpha * other (the SGD step `p.addScaled_(g, -lr)`). */
export function addScaledInPlace(self: Tensor, other: Tensor, alpha: number): Tensor {
  checkTarget('addScaled_', self, other);
  if (!(other instanceof Tensor)) throw new NablaError('addScaled_', 'other must be a tensor');
  const o = operandFor('addScaled_', self, other);
  const be = self.backend;
  const scaled = empty(be, self.dtype, o.shape);
  be.kernels.binary('mul', scaled, o, broadcastView(constant(be, self.dtype, alpha), o.shape));
  if (o !== other) o.dispose();
  binaryInPlace('addScaled_', 'add', self, scaled);
  scaled.dispose();
  return self;
}

/** Copies src (broadcast, cast) into self. */
export function copyInPlace(self: Tensor, src: Tensor): Tensor {
  checkTarget('copy_', self, src);
  if (!(src instanceof Tensor)) throw new NablaError('copy_', 'src must be a tensor');
  backendOf('copy_', self, src);
  const ok = src.ndim <= self.ndim && src.shape.every((d, i) => d === 1 || d === self.shape[self.ndim - src.ndim + i]);
  if (!ok) throw new NablaError('copy_', `cannot broadcast src=${fmtShape(src.shape)} into self=${fmtShape(self.shape)}`);
  const s = src.dtype === self.dtype ? src : cast(src, self.dtype);
  self.backend.kernels.copy(self, broadcastView(s, self.shape));
  if (s !== src) s.dispose();
  self._store.version++;
  return self;
}

export function fillInPlace(self: Tensor, value: number | boolean): Tensor {
  checkTarget('fill_', self);
  const be = self.backend;
  be.kernels.copy(self, broadcastView(constant(be, self.dtype, Number(value)), self.shape));
  self._store.version++;
  return self;
}
