/** fillRandom: element i (row-major) of out is a pure function of (seed, counter + i), identical on every backend. */
import { normalAtPair, uniformAt, type RandomDistribution, type View } from '@nabla/core';
import { forEachRow, planLoop, rowMajor } from '../layout';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

const SAMPLE = {
  uniform: (seed: number, counter: number, i: number) => uniformAt(seed, counter + i),
  // Box-Muller consumes two stream positions per element.
  normal: (seed: number, counter: number, i: number) => normalAtPair(seed, counter + 2 * i),
} satisfies Record<RandomDistribution, (seed: number, counter: number, i: number) => number>;

export function fillRandom(out: V, dist: RandomDistribution, seed: number, counter: number): void {
  const sample = SAMPLE[dist];
  const conv = CAST_TO[out.dtype];
  const o = out.storage;
  const plan = planLoop(out.shape, [out.strides, rowMajor(out.shape)]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const si = plan.strides[1][last];
  forEachRow(plan, [out.offset, 0], (offs) => {
    let [po, i] = offs;
    for (let k = 0; k < n; k++, po += so, i += si) o[po] = conv(sample(seed, counter, i));
  });
}
