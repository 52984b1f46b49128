/** Seeded shuffles for the app's data splits, drawn from core's counter-based stream so they never depend on Math.random. */
import { randomBits } from '@nabla/core';

const INV_2_32 = 1 / 4294967296;

/** A permutation of 0..n-1, the same for the same (n, seed) on every machine (Fisher–Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(randomBits(seed, i) * INV_2_32 * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A stream of uniform numbers in [0, 1) for app-side sampling (synthetic lesson data). */
export class Stream {
  private i = 0;
  constructor(private readonly seed: number) {}
  uniform(): number {
    return randomBits(this.seed, this.i++) * INV_2_32;
  }
  /** Standard normal by Box–Muller; u1 is kept away from 0 so the log is finite. */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
