/** Test helpers shared by the autograd test files (not exported from the package). */
import { expect } from 'vitest';
import type { Tensor } from '@nabla/tensor';

type Nested = number | boolean | Nested[];

function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [Number(x)];
}

/** Asserts `t` has the shape of `expected` and values within `tol` (NaN matches NaN). */
export function expectClose(t: Tensor | null, expected: Nested, tol = 1e-6): void {
  expect(t).not.toBeNull();
  const got = flat(t!.toArray() as Nested);
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else if (!Number.isFinite(w)) expect(g).toBe(w);
    else expect(Math.abs(g - w), `element ${i}: got ${g}, want ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)));
  });
}

/** The flat values of a tensor as plain numbers. */
export function values(t: Tensor): number[] {
  return Array.from(t.data() as ArrayLike<number>);
}
