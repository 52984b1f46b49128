/** Batched matmul a [B,M,K] @ b [B,K,N]: an i-k-j loop over float64 row accumulators (floats round once per output). */
import type { View } from '@nabla/core';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

export function matmul(out: V, a: V, b: V): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const [abs, ams, aks] = a.strides;
  const [bbs, bks, bns] = b.strides;
  const [obs, oms, ons] = out.strides;
  const as = a.storage;
  const o = out.storage;
  const isFloat = a.dtype === 'float32' || a.dtype === 'float64';
  const conv = CAST_TO[out.dtype];
  // Ints wrap like C: Int32Array stores reduce modulo 2^32 after each step.
  const acc = isFloat ? new Float64Array(N) : new Int32Array(N);
  // The inner loop wants b's rows dense; pack a batch when they are not.
  const packed = bns === 1 ? null : new Float64Array(K * N);
  let lastPacked = -1;
  for (let bi = 0; bi < B; bi++) {
    let bArr: ArrayLike<number> = b.storage;
    let bBase = b.offset + bi * bbs;
    let bRow = bks;
    if (packed) {
      bArr = packed;
      bBase = 0;
      bRow = N;
      const src = b.offset + bi * bbs;
      if (src !== lastPacked) {
        for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) packed[k * N + j] = b.storage[src + k * bks + j * bns];
        lastPacked = src;
      }
    }
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      const aRow = a.offset + bi * abs + i * ams;
      if (isFloat) {
        for (let k = 0; k < K; k++) {
          const av = as[aRow + k * aks];
          const pb = bBase + k * bRow;
          for (let j = 0; j < N; j++) acc[j] += av * bArr[pb + j];
        }
      } else {
        for (let k = 0; k < K; k++) {
          const av = as[aRow + k * aks];
          const pb = bBase + k * bRow;
          for (let j = 0; j < N; j++) acc[j] += Math.imul(av, bArr[pb + j]);
        }
      }
      const po = out.offset + bi * obs + i * oms;
      for (let j = 0; j < N; j++) o[po + j * ons] = conv(acc[j]);
    }
  }
}
