/** Test helpers: build tensors from fixtures and compare within a dtype's tolerance. */
import { expect } from 'vitest';
import { tensor, type Tensor } from '@nabla/tensor';
import { decodeTensor, type EncodedTensor } from '@nabla/oracle';

export function fromFixture(e: EncodedTensor, requiresGrad = false): Tensor {
  const d = decodeTensor(e);
  return tensor(d.data, { dtype: d.dtype, shape: d.shape, requiresGrad: requiresGrad && (d.dtype === 'float32' || d.dtype === 'float64') });
}

const TOL = { float32: { rtol: 2e-4, atol: 2e-5 }, float64: { rtol: 1e-9, atol: 1e-10 }, int32: { rtol: 0, atol: 0 }, bool: { rtol: 0, atol: 0 } };

/** Asserts `actual` matches the encoded tensor in shape and values (tolerance by dtype, scaled by `loose`). */
export function expectMatches(actual: Tensor | null | undefined, want: EncodedTensor, where: string, loose = 1): void {
  expect(actual, `${where}: missing`).toBeTruthy();
  const a = actual as Tensor;
  const d = decodeTensor(want);
  expect([...a.shape], `${where}: shape`).toEqual(d.shape);
  const got = a.data();
  const { rtol, atol } = TOL[d.dtype];
  let worst = 0;
  let at = -1;
  for (let i = 0; i < d.data.length; i++) {
    const err = Math.abs(got[i] - d.data[i]) - (atol + rtol * Math.abs(d.data[i])) * loose;
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (at >= 0) expect.fail(`${where}: element ${at} is ${got[at]}, expected ${d.data[at]}`);
}
