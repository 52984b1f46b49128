import { describe, expect, it } from 'vitest';
import type { DType, View } from '@nabla/core';
import { createJsBackend } from '../backend';
import type { JsStorage } from '../storage';

const js = createJsBackend();

/** Naive triple loop over logical indices: the definition the blocked kernel must reproduce bit for bit. */
function naive(a: View<JsStorage>, b: View<JsStorage>): number[] {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  const out: number[] = [];
  for (let bi = 0; bi < B; bi++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          s += a.storage[a.offset + bi * a.strides[0] + i * a.strides[1] + k * a.strides[2]] * b.storage[b.offset + bi * b.strides[0] + k * b.strides[1] + j * b.strides[2]];
        }
        out.push(a.dtype === 'float32' ? Math.fround(s) : s);
      }
  return out;
}

function operand(dtype: DType, shape: number[], transposed: boolean, seed: number): View<JsStorage> {
  const [B, R, C] = shape;
  const s = js.alloc(dtype, B * R * C + 3);
  for (let i = 0; i < s.length; i++) s[i] = Math.sin(seed * 31 + i * 1.7) * 3;
  const strides = transposed ? [R * C, 1, R] : [R * C, C, 1];
  return { storage: s, dtype, shape, strides: B === 1 && seed % 2 ? [0, ...strides.slice(1)] : strides, offset: 3 };
}

describe('blocked float matmul equals the naive loop bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it.each([
      [1, 1, 1, 1],
      [2, 3, 5, 7],
      [1, 4, 0, 4],
      [3, 5, 9, 6],
      [1, 8, 17, 13],
    ])(`${dtype} B=%i M=%i K=%i N=%i`, (B, M, K, N) => {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const a = operand(dtype, [B, M, K], ta, 1);
        const b = operand(dtype, [B, K, N], tb, 2);
        const out: View<JsStorage> = { storage: js.alloc(dtype, B * M * N), dtype, shape: [B, M, N], strides: [M * N, N, 1], offset: 0 };
        js.kernels.matmul(out, a, b);
        expect(Array.from(out.storage)).toEqual(naive(a, b));
      }
    });
  }
});
