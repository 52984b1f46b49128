/** Test helpers: fixture tensors and tolerance comparison. */
import { expect } from 'vitest';
import { tensor, type Tensor } from '@nabla/tensor';
import { decodeNumber, decodeTensor, type EncodedNumber, type EncodedTensor } from '@nabla/oracle';

export function fromFixture(e: EncodedTensor, requiresGrad = false): Tensor {
  const d = decodeTensor(e);
  return tensor(d.data, { dtype: d.dtype, shape: d.shape, requiresGrad });
}

/** float32 trajectories: relative 1e-4 plus a small absolute floor (errors compound over steps). */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, where: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got.length, `${where}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) {
      expect.fail(`${where}: element ${i} is ${got[i]}, expected ${want[i]}`);
    }
  }
}

export function expectTensor(got: Tensor | null, want: EncodedTensor, where: string, rtol?: number, atol?: number): void {
  expect(got, `${where}: missing`).toBeTruthy();
  expect([...(got as Tensor).shape], `${where}: shape`).toEqual(want.shape);
  expectClose((got as Tensor).data(), decodeTensor(want).data, where, rtol, atol);
}

export const num = (x: EncodedNumber | number): number => decodeNumber(x);
