/** Data augmentation for digits: each image shifted by a seeded random offset of up to ±`max` pixels. */
import { type Digits, IMAGE_SIZE, PIXELS } from './digits';
import { Stream } from '../util/rng';

/** A copy of `d` with every image translated by (dx, dy) ∈ [−max, max]², the uncovered border black. */
export function randomShifts(d: Digits, max: number, seed: number): Digits {
  const rng = new Stream(seed);
  const images = new Float32Array(d.images.length);
  const span = 2 * max + 1;
  for (let n = 0; n < d.count; n++) {
    const dx = Math.floor(rng.uniform() * span) - max;
    const dy = Math.floor(rng.uniform() * span) - max;
    const src = n * PIXELS;
    for (let y = Math.max(0, dy); y < Math.min(IMAGE_SIZE, IMAGE_SIZE + dy); y++) {
      const from = src + (y - dy) * IMAGE_SIZE;
      const to = src + y * IMAGE_SIZE;
      for (let x = Math.max(0, dx); x < Math.min(IMAGE_SIZE, IMAGE_SIZE + dx); x++) images[to + x] = d.images[from + x - dx];
    }
  }
  return { images, labels: d.labels, count: d.count };
}
