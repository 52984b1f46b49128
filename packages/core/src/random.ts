/**
 * The counter-based random stream every backend reproduces bit for bit:
 * element i of a fill with (seed, counter) is a function of (seed, counter + i)
 * only, so any backend, thread split or chunking yields the same numbers.
 * Hash: PCG's output permutation applied twice (seed, then seed-hash + index),
 * all arithmetic modulo 2^32.
 */

/** One round of the PCG-RXS-M-XS 32-bit permutation. */
export function pcgHash(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The 32 random bits at position `i` of the stream `seed`. */
export function randomBits(seed: number, i: number): number {
  return pcgHash((pcgHash(seed) + i) >>> 0);
}

const INV_2_24 = 1 / 16777216;

/** Uniform in [0, 1) with 24 bits: element i of a 'uniform' fill. */
export function uniformAt(seed: number, i: number): number {
  return (randomBits(seed, i) >>> 8) * INV_2_24;
}

/**
 * Standard normal by Box–Muller: element i of a 'normal' fill uses stream
 * positions 2i and 2i+1 of (seed, counter), i.e. `normalAt(seed, counter + 2i)` style
 * callers pass the absolute position p = counter + 2i.
 * u1 is in (0, 1] so the log is finite.
 */
export function normalAtPair(seed: number, p: number): number {
  const u1 = ((randomBits(seed, p) >>> 8) + 1) * INV_2_24;
  const u2 = (randomBits(seed, p + 1) >>> 8) * INV_2_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** How far a fill of n elements advances the stream counter. */
export function randomAdvance(dist: 'uniform' | 'normal', n: number): number {
  return dist === 'normal' ? 2 * n : n;
}
