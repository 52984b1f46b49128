/**
 * The optional fused kernels, written as plainly as their composite definitions
 * (max-subtracted log-sum-exp for the softmax family, PyTorch's SGD and Adam
 * update rules); float64 accumulation, one rounding per stored value.
 */
import type { AdamOptions, FusedKernels, SgdOptions, View } from '@nabla/core';
import { matmul } from './kernels/matmul';
import { denseCopy, sizeOf, writeDense } from './layout';
import { CAST_TO } from './scalar';
import type { JsStorage } from './storage';

type V = View<JsStorage>;

/** Rows of the last axis of a dense copy: calls f(row buffer, start, length) per row. */
function eachRow(x: V, f: (buf: ArrayLike<number>, start: number, len: number, row: number) => void): ArrayLike<number> {
  const buf = denseCopy(x);
  const len = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  const rows = len === 0 ? 0 : buf.length / len;
  for (let r = 0; r < rows; r++) f(buf, r * len, len, r);
  return buf;
}

function rowMax(buf: ArrayLike<number>, start: number, len: number): number {
  let m = -Infinity;
  for (let i = start; i < start + len; i++) if (buf[i] > m || buf[i] !== buf[i]) m = buf[i];
  return m;
}

/** log(sum(exp(x - m))) + m for one row; -inf rows stay -inf instead of NaN. */
function logSumExp(buf: ArrayLike<number>, start: number, len: number): number {
  const m = rowMax(buf, start, len);
  if (m === -Infinity) return m;
  let s = 0;
  for (let i = start; i < start + len; i++) s += Math.exp(buf[i] - m);
  return Math.log(s) + m;
}

function softmax(out: V, x: V): void {
  const y = new Float64Array(sizeOf(x.shape));
  eachRow(x, (buf, start, len) => {
    const lse = logSumExp(buf, start, len);
    for (let i = start; i < start + len; i++) y[i] = Math.exp(buf[i] - lse);
  });
  writeDense(out, y, CAST_TO[out.dtype]);
}

function logSoftmax(out: V, x: V): void {
  const y = new Float64Array(sizeOf(x.shape));
  eachRow(x, (buf, start, len) => {
    const lse = logSumExp(buf, start, len);
    for (let i = start; i < start + len; i++) y[i] = buf[i] - lse;
  });
  writeDense(out, y, CAST_TO[out.dtype]);
}

function softmaxCrossEntropy(out: V, x: V, target: V): void {
  const t = denseCopy(target);
  const y = new Float64Array(t.length);
  eachRow(x, (buf, start, len, r) => {
    y[r] = logSumExp(buf, start, len) - buf[start + t[r]];
  });
  writeDense(out, y, CAST_TO[out.dtype]);
}

function softmaxCrossEntropyBackward(out: V, x: V, target: V, gradLoss: V): void {
  const t = denseCopy(target);
  const g = denseCopy(gradLoss);
  const y = new Float64Array(sizeOf(x.shape));
  eachRow(x, (buf, start, len, r) => {
    const lse = logSumExp(buf, start, len);
    for (let i = 0; i < len; i++) y[start + i] = (Math.exp(buf[start + i] - lse) - (i === t[r] ? 1 : 0)) * g[r];
  });
  writeDense(out, y, CAST_TO[out.dtype]);
}

/** out [M,N] = act(x [M,K] @ w [N,K]^T + bias): the matmul kernel on w viewed transposed, then one epilogue pass. */
function linear(out: V, x: V, w: V, bias: V | null, activation: 'none' | 'relu'): void {
  const [M, K] = x.shape;
  const N = w.shape[0];
  const y: V = { storage: new Float64Array(M * N), dtype: 'float64', shape: [1, M, N], strides: [0, N, 1], offset: 0 };
  matmul(
    y,
    { ...x, shape: [1, M, K], strides: [0, x.strides[0], x.strides[1]] },
    { ...w, shape: [1, K, N], strides: [0, w.strides[1], w.strides[0]] },
  );
  const acc = y.storage;
  const bd = bias ? denseCopy(bias) : null;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = acc[i * N + j];
      if (bd) s += bd[j];
      // relu keeps NaN, as the unary relu row does.
      acc[i * N + j] = activation === 'relu' && !(s > 0 || s !== s) ? 0 : s;
    }
  }
  writeDense(out, acc, CAST_TO[out.dtype]);
}

/** torch.optim.SGD for one parameter: weight decay, then momentum (buffer = grad on the first step), then nesterov. */
function sgdUpdate(param: V, grad: V, buf: V | null, o: SgdOptions): void {
  const p = param.storage;
  const g = grad.storage;
  const b = buf?.storage;
  const n = sizeOf(param.shape);
  for (let i = 0; i < n; i++) {
    const pi = param.offset + i;
    let d = g[grad.offset + i];
    if (o.weightDecay !== 0) d += o.weightDecay * p[pi];
    if (b && buf && o.momentum !== 0) {
      const bi = buf.offset + i;
      b[bi] = o.hasBuffer ? o.momentum * b[bi] + (1 - o.dampening) * d : d;
      d = o.nesterov ? d + o.momentum * b[bi] : b[bi];
    }
    p[pi] = p[pi] - o.lr * d;
  }
}

/** torch.optim.Adam / AdamW for one parameter (PyTorch 1.13's single-tensor rule). */
function adamUpdate(param: V, grad: V, m: V, v: V, o: AdamOptions): void {
  const p = param.storage;
  const g = grad.storage;
  const ms = m.storage;
  const vs = v.storage;
  const n = sizeOf(param.shape);
  const bc1 = 1 - Math.pow(o.beta1, o.step);
  const bc2 = 1 - Math.pow(o.beta2, o.step);
  const stepSize = o.lr / bc1;
  const bc2Sqrt = Math.sqrt(bc2);
  for (let i = 0; i < n; i++) {
    const pi = param.offset + i;
    const mi = m.offset + i;
    const vi = v.offset + i;
    let gi = g[grad.offset + i];
    if (o.weightDecay !== 0) {
      if (o.decoupled) p[pi] = p[pi] * (1 - o.lr * o.weightDecay);
      else gi += o.weightDecay * p[pi];
    }
    ms[mi] = ms[mi] + (gi - ms[mi]) * (1 - o.beta1);
    vs[vi] = vs[vi] * o.beta2 + (1 - o.beta2) * gi * gi;
    const denom = Math.sqrt(vs[vi]) / bc2Sqrt + o.eps;
    p[pi] = p[pi] - (stepSize * ms[mi]) / denom;
  }
}

export const fused = {
  softmax,
  logSoftmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  linear,
  sgdUpdate,
  adamUpdate,
} satisfies FusedKernels<JsStorage>;
