/**
 * Batched matmul a [B,M,K] @ b [B,K,N]. Floats: a and b^T are packed into dense
 * float64 rows, then a 2x4 register-blocked dot-product loop accumulates in float64
 * locals (each output rounds once). Ints: an i-k-j loop over an Int32Array row, so
 * every step wraps modulo 2^32 like C; bool is the int result != 0.
 */
import type { View } from '@nabla/core';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

export function matmul(out: V, a: V, b: V): void {
  if (a.dtype === 'float32' || a.dtype === 'float64') matmulFloat(out, a, b);
  else matmulInt(out, a, b);
}

/** Packs a [M,K] slice (batch bi) into dense rows: dst[i*K + k]. */
function packRows(src: JsStorage, base: number, rows: number, cols: number, rs: number, cs: number, dst: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const s = base + i * rs;
    const d = i * cols;
    for (let k = 0; k < cols; k++) dst[d + k] = src[s + k * cs];
  }
}

function matmulFloat(out: V, a: V, b: V): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const o = out.storage;
  const [obs, oms, ons] = out.strides;
  const A = new Float64Array(M * K);
  const BT = new Float64Array(N * K);
  let lastA = -1;
  let lastB = -1;
  for (let bi = 0; bi < B; bi++) {
    const aBase = a.offset + bi * a.strides[0];
    const bBase = b.offset + bi * b.strides[0];
    // A batch-broadcast operand (stride 0) is packed once.
    if (aBase !== lastA) packRows(a.storage, aBase, M, K, a.strides[1], a.strides[2], A);
    if (bBase !== lastB) packRows(b.storage, bBase, N, K, b.strides[2], b.strides[1], BT);
    lastA = aBase;
    lastB = bBase;
    const oBase = out.offset + bi * obs;
    let i = 0;
    for (; i + 1 < M; i += 2) {
      const a0 = i * K;
      const a1 = a0 + K;
      let j = 0;
      for (; j + 3 < N; j += 4) {
        const b0 = j * K;
        const b1 = b0 + K;
        const b2 = b1 + K;
        const b3 = b2 + K;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
        for (let k = 0; k < K; k++) {
          const x0 = A[a0 + k];
          const x1 = A[a1 + k];
          const y0 = BT[b0 + k];
          const y1 = BT[b1 + k];
          const y2 = BT[b2 + k];
          const y3 = BT[b3 + k];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        const p0 = oBase + i * oms + j * ons;
        const p1 = p0 + oms;
        o[p0] = s00;
        o[p0 + ons] = s01;
        o[p0 + 2 * ons] = s02;
        o[p0 + 3 * ons] = s03;
        o[p1] = s10;
        o[p1 + ons] = s11;
        o[p1 + 2 * ons] = s12;
        o[p1 + 3 * ons] = s13;
      }
      for (; j < N; j++) {
        o[oBase + i * oms + j * ons] = dot(A, a0, BT, j * K, K);
        o[oBase + (i + 1) * oms + j * ons] = dot(A, a1, BT, j * K, K);
      }
    }
    for (; i < M; i++) for (let j = 0; j < N; j++) o[oBase + i * oms + j * ons] = dot(A, i * K, BT, j * K, K);
  }
}
function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += x[xo + k] * y[yo + k];
  return s;
}

function matmulInt(out: V, a: V, b: V): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const [abs, ams, aks] = a.strides;
  const [bbs, bks, bns] = b.strides;
  const [obs, oms, ons] = out.strides;
  const as = a.storage;
  const bs = b.storage;
  const o = out.storage;
  const conv = CAST_TO[out.dtype];
  // Int32Array stores reduce modulo 2^32 after each step.
  const acc = new Int32Array(N);
  for (let bi = 0; bi < B; bi++) {
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      const aRow = a.offset + bi * abs + i * ams;
      for (let k = 0; k < K; k++) {
        const av = as[aRow + k * aks];
        const pb = b.offset + bi * bbs + k * bks;
        for (let j = 0; j < N; j++) acc[j] += Math.imul(av, bs[pb + j * bns]);
      }
      const po = out.offset + bi * obs + i * oms;
      for (let j = 0; j < N; j++) o[po + j * ons] = conv(acc[j]);
    }
  }
}
