/**
 * matmul with torch.matmul's rules: 1-D operands are promoted to matrices by
 * recorded reshapes (so autograd only ever sees a >=2-D 'matmul' node), batch
 * dims broadcast, and the backend runs one [B,M,K] @ [B,K,N] kernel. Also
 * linear (x wᵀ + b), recorded as one node.
 */
import { NablaError, broadcastShapes, contiguousStrides, fmtShape, isFloating, promoteTypes, type View } from '@nabla/core';
import { alive, backendOf, empty, output } from './dispatch';
import { cast } from './elementwise';
import { gradMode, record, setGradEnabled } from './graph';
import { contiguous, detach } from './views';
import type { Tensor } from './tensor';

/**
 * Folds the batch dims of `t` (already broadcast to `batch`) into one [B, r, c] view;
 * null when the strides cannot be merged (a broadcast dim in the middle).
 */
function as3d(t: Tensor, batch: readonly number[]): View | null {
  const nb = batch.length;
  const lead = nb - (t.ndim - 2);
  const bs: number[] = [];
  for (let i = 0; i < nb; i++) {
    const j = i - lead;
    bs.push(j < 0 || (t.shape[j] === 1 && batch[i] !== 1) ? 0 : t.strides[j]);
  }
  let B = 1;
  for (const d of batch) B *= d;
  // Merge from the innermost batch dim out: each outer stride must equal inner stride * inner size.
  let stride = 0;
  let seen = 1;
  for (let i = nb - 1; i >= 0; i--) {
    if (batch[i] === 1) continue;
    if (seen === 1) stride = bs[i];
    else if (bs[i] !== stride * seen) return null;
    seen *= batch[i];
  }
  const r = t.shape[t.ndim - 2];
  const c = t.shape[t.ndim - 1];
  return { storage: t.storage, dtype: t.dtype, shape: [B, r, c], strides: [stride, t.strides[t.ndim - 2], t.strides[t.ndim - 1]], offset: t.offset };
}

/** Batched matmul of two >=2-D tensors of one dtype with broadcast batch dims; records 'matmul'. */
function matmulNd(a: Tensor, b: Tensor, origA: readonly number[], origB: readonly number[]): Tensor {
  const be = backendOf('matmul', a, b);
  const M = a.shape[a.ndim - 2];
  const K = a.shape[a.ndim - 1];
  const N = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== K) throw new NablaError('matmul', `inner dimensions differ: a=${fmtShape(origA)} b=${fmtShape(origB)}`);
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  // K = 0 gives zeros, which the fresh zero-filled allocation already holds.
  const out = (K > 0 ? output : empty)(be, a.dtype, [...batch, M, N]);
  let B = 1;
  for (const d of batch) B *= d;
  const outView: View = { storage: out.storage, dtype: out.dtype, shape: [B, M, N], strides: contiguousStrides([B, M, N]), offset: 0 };
  const va = as3d(a, batch) ?? as3d(a.expand([...batch, M, K]).contiguous(), batch)!;
  const vb = as3d(b, batch) ?? as3d(b.expand([...batch, K, N]).contiguous(), batch)!;
  be.kernels.matmul(outView, va, vb);
  if (gradMode.enabled && (a.requiresGrad || b.requiresGrad)) record('matmul', [a, b], out);
  return out;
}

/**
 * Matrix product with torch.matmul semantics (1-D, 2-D, batched with broadcasting).
 * @example
 * matmul(ones([2, 3, 4]), ones([4, 5])).shape; // [2, 3, 5]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  alive('matmul', a);
  alive('matmul', b);
  const sa = a.shape;
  const sb = b.shape;
  if (a.ndim === 0 || b.ndim === 0) throw new NablaError('matmul', `both arguments need at least 1 dim: a=${fmtShape(sa)} b=${fmtShape(sb)}`);
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new NablaError('matmul', 'bool tensors are not supported; cast to a number dtype first');
  const inner = (x: Tensor, i: number): number => x.shape[x.ndim + i];
  if (inner(a, -1) !== (b.ndim === 1 ? sb[0] : inner(b, -2))) {
    throw new NablaError('matmul', `inner dimensions differ: a=${fmtShape(sa)} b=${fmtShape(sb)}`);
  }
  const dt = promoteTypes(a.dtype, b.dtype);
  const ca = a.dtype === dt ? a : cast(a, dt);
  const cb = b.dtype === dt ? b : cast(b, dt);
  const a2 = ca.ndim === 1 ? ca.reshape([1, sa[0]]) : ca;
  const b2 = cb.ndim === 1 ? cb.reshape([sb[0], 1]) : cb;
  const out = matmulNd(a2, b2, sa, sb);
  if (a.ndim > 1 && b.ndim > 1) return out;
  // Drop the dims that 1-D operands gained.
  const shape = out.shape.slice();
  if (b.ndim === 1) shape.pop();
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return out.reshape(shape);
}

/** 2-D matrix product only. */
export function mm(a: Tensor, b: Tensor): Tensor {
  alive('mm', a);
  alive('mm', b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new NablaError('mm', `expects 2-D tensors: a=${fmtShape(a.shape)} b=${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/** Inner product of two 1-D tensors of equal length (rank-0 result). */
export function dot(a: Tensor, b: Tensor): Tensor {
  alive('dot', a);
  alive('dot', b);
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new NablaError('dot', `expects two 1-D tensors of equal length: a=${fmtShape(a.shape)} b=${fmtShape(b.shape)}`);
  }
  return matmul(a, b);
}

export interface LinearOptions {
  /** Applied to the result inside the same kernel where the backend can ('relu'); default 'none'. */
  readonly activation?: 'none' | 'relu';
}

/**
 * y = act(x wᵀ + b) for x [..., in], w [out, in], b [out] (torch.nn.functional.linear, plus an
 * optional fused ReLU). One recorded 'linear' node instead of transpose, matmul and add: the
 * backward computes dw = gᵀ x directly in w's layout, so no transposed gradient is ever copied,
 * and the forward runs the backend's fused linear kernel when it has one.
 * @example
 * linear(ones([8, 4]), ones([2, 4]), zeros([2])).shape; // [8, 2]
 */
export function linear(x: Tensor, w: Tensor, bias?: Tensor | null, opts: LinearOptions = {}): Tensor {
  const op = 'linear';
  const be = backendOf(op, x, w, bias ?? undefined);
  const activation = opts.activation ?? 'none';
  if (activation !== 'none' && activation !== 'relu') throw new NablaError(op, `activation must be 'none' or 'relu', got ${String(activation)}`);
  if (w.ndim !== 2) throw new NablaError(op, `weight must be 2-D [out, in], got ${fmtShape(w.shape)}`);
  const [N, K] = w.shape;
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== K) throw new NablaError(op, `expected input [..., ${K}] for weight ${fmtShape(w.shape)}, got ${fmtShape(x.shape)}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== N)) throw new NablaError(op, `bias must have shape [${N}], got ${fmtShape(bias.shape)}`);
  const dt = x.dtype;
  if (!isFloating(dt) || w.dtype !== dt || (bias && bias.dtype !== dt)) {
    // Mixed or integer dtypes keep matmul's promotion rules: the composite, recorded op by op.
    const y = matmul(x, w.t());
    const z = bias ? y.add(bias) : y;
    return activation === 'relu' ? z.relu() : z;
  }
  const fused = be.fused?.linear;
  let out: Tensor;
  if (fused) {
    let M = 1;
    for (let i = 0; i < x.ndim - 1; i++) M *= x.shape[i];
    const flat = x.ndim === 1 ? K : mergedRowStride(x);
    // x [..., K] seen as [M, K]: a view when the leading dims merge, else a contiguous copy.
    const tmp = flat === null ? contiguous(detach(x)) : undefined;
    const src = tmp ?? x;
    const x2: View = { storage: src.storage, dtype: dt, shape: [M, K], strides: [flat ?? K, src.strides[src.ndim - 1]], offset: src.offset };
    out = (K > 0 ? output : empty)(be, dt, x.ndim === 1 ? [N] : [...x.shape.slice(0, -1), N]);
    fused({ storage: out.storage, dtype: dt, shape: [M, N], strides: [N, 1], offset: 0 }, x2, w, bias ?? null, activation);
    tmp?.dispose();
  } else {
    const prev = setGradEnabled(false);
    try {
      out = linearComposite(x, w, bias ?? null, activation);
    } finally {
      setGradEnabled(prev);
    }
  }
  if (gradMode.enabled && (x.requiresGrad || w.requiresGrad || (bias?.requiresGrad ?? false))) {
    record(op, bias ? [x, w, bias] : [x, w], out, { activation }, activation === 'relu' ? [out] : []);
  }
  return out;
}

/** The one stride walking all leading dims of x (ndim >= 2) in row-major order, or null when they do not merge. */
function mergedRowStride(x: Tensor): number | null {
  const last = x.ndim - 1;
  let stride = 0;
  let seen = 1;
  for (let i = last - 1; i >= 0; i--) {
    if (x.shape[i] === 1) continue;
    if (seen === 1) stride = x.strides[i];
    else if (x.strides[i] !== stride * seen) return null;
    seen *= x.shape[i];
  }
  return seen === 1 ? x.shape[last] : stride;
}

/** linear from primitive ops (run unrecorded), for backends without the fused kernel. */
function linearComposite(x: Tensor, w: Tensor, bias: Tensor | null, activation: 'none' | 'relu'): Tensor {
  const y = matmul(x, w.t());
  if (!bias && activation === 'none') return y;
  const z = bias ? y.add(bias) : y;
  if (z !== y) y.dispose();
  if (activation === 'none') return z;
  const r = z.relu();
  z.dispose();
  return r;
}
