/**
 * Tolerance rules. Int and bool results, and float ops that IEEE rounds exactly
 * (add, mul, sqrt, floor, comparisons, casts, copies...), must match bit for bit
 * (NaN matches NaN, -0 matches 0). Transcendentals get ~1e-6 relative in float32;
 * sums get an absolute allowance growing with the number of terms K.
 */
import type { DType } from '@nabla/core';
import type { Result, Tolerance } from './harness';

export type { Tolerance };

export const EXACT: Tolerance = { rtol: 0, atol: 0 };

const EPS = { float32: 1.2e-7, float64: 2.3e-16 } as const;
const isFloat = (d: DType): d is 'float32' | 'float64' => d === 'float32' || d === 'float64';

/** Elementwise transcendental (exp, log, tanh, pow, erf, ...): a few ulp. */
export function transcendental(dtype: DType): Tolerance {
  if (!isFloat(dtype)) return EXACT;
  return dtype === 'float32' ? { rtol: 2e-6, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-13 };
}

/** A sum or dot product of K terms each bounded by `scale` in magnitude. */
export function accumulated(dtype: DType, K: number, scale: number): Tolerance {
  if (!isFloat(dtype)) return EXACT;
  const eps = EPS[dtype];
  return { rtol: 8 * eps, atol: 4 * eps * Math.max(K, 1) * Math.max(scale, 1) };
}

/** Returns a description of the first mismatch, or null when all elements agree. */
export function mismatch(want: Result, got: Result): string | null {
  if (want.data.length !== got.data.length) return `${want.label}: length ${got.data.length}, expected ${want.data.length}`;
  const { rtol, atol } = want.tol;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < want.data.length; i++) {
    const w = want.data[i];
    const g = got.data[i];
    if (w === g || (w !== w && g !== g)) continue;
    if (Number.isFinite(w) && Number.isFinite(g) && Math.abs(g - w) <= atol + rtol * Math.abs(w)) continue;
    if (first < 0) first = i;
    bad++;
  }
  if (bad === 0) return null;
  const near = Array.from({ length: Math.min(6, want.data.length - first) }, (_, j) => first + j);
  return (
    `${want.label}: ${bad} of ${want.data.length} elements differ (rtol ${rtol}, atol ${atol}); first at buffer index ${first}:\n` +
    near.map((i) => `  [${i}] got ${got.data[i]} expected ${want.data[i]}`).join('\n')
  );
}
