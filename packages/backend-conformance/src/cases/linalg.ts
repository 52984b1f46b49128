/** Cases for matmul, gather, scatterAdd and fillRandom. */
import { NablaError, RANDOM_DISTRIBUTIONS, type DType } from '@nabla/core';
import { EXACT, accumulated, transcendental } from '../compare';
import type { Harness } from '../harness';
import type { Rng } from '../rng';
import { ALL_DTYPES, FLOATS, fmt, randomShape, type Case } from './case';

const isFloat = (d: DType) => d === 'float32' || d === 'float64';
const dim = (r: Rng) => r.pick([0, 1, 1, 2, 3, 5, 8, 17]);

const matmulCases: Case[] = ALL_DTYPES.map((dtype) => ({
  name: `matmul ${dtype}`,
  dtypes: [dtype],
  trials: 10,
  run(h, r) {
    const [B, M, K, N] = [r.int(1, 3), dim(r), dim(r), dim(r)];
    const kind = isFloat(dtype) ? 'unit' : r.pick(['normal', 'wide'] as const);
    const a = h.input(r, dtype, [B, M, K], kind, { broadcast: true });
    const b = h.input(r, dtype, [B, K, N], kind, { broadcast: true });
    const out = h.output(r, dtype, [B, M, N]);
    h.backend.kernels.matmul(out, a, b);
    h.record(`matmul [${B},${M},${K}]@[${B},${K},${N}] a.strides=${fmt(a.strides)} b.strides=${fmt(b.strides)}`, out, accumulated(dtype, K, 1));
  },
}));

/** A shape and dim for gather/scatter: `other` is `base` with dim resized. */
function alongDim(r: Rng): { base: number[]; other: number[]; dim: number } {
  const base = randomShape(r, { minRank: 1, maxRank: 3, maxSize: 64 });
  const d = r.int(0, base.length - 1);
  if (base[d] === 0) base[d] = 2;
  const other = base.slice();
  other[d] = r.int(0, 4);
  return { base, other, dim: d };
}

const gatherCases: Case[] = ALL_DTYPES.map((dtype) => ({
  name: `gather ${dtype}`,
  dtypes: [dtype, 'int32'],
  trials: 10,
  run(h, r) {
    const { base, other, dim: d } = alongDim(r);
    const x = h.input(r, dtype, base, 'special', { broadcast: true });
    const index = h.input(r, 'int32', other, 'index', { max: base[d] - 1, broadcast: true });
    const out = h.output(r, dtype, other);
    h.backend.kernels.gather(out, x, d, index);
    h.record(`gather x=${fmt(base)} dim=${d} index=${fmt(other)}`, out, EXACT);
  },
}));

const scatterAddCases: Case[] = ALL_DTYPES.map((dtype) => ({
  name: `scatterAdd ${dtype}`,
  dtypes: [dtype, 'int32'],
  trials: 10,
  run(h, r) {
    const { base, other, dim: d } = alongDim(r);
    const out = h.output(r, dtype, base, false, 'small');
    const index = h.input(r, 'int32', other, 'index', { max: base[d] - 1, broadcast: true });
    const src = h.input(r, dtype, other, isFloat(dtype) ? 'normal' : 'wide', { broadcast: true });
    h.backend.kernels.scatterAdd(out, d, index, src);
    h.record(`scatterAdd out=${fmt(base)} dim=${d} index=${fmt(other)}`, out, accumulated(dtype, other[d] + 1, 8));
  },
}));

const fillRandomCases: Case[] = RANDOM_DISTRIBUTIONS.flatMap((dist) =>
  FLOATS.map((dtype) => ({
    name: `fillRandom ${dist} ${dtype}`,
    dtypes: [dtype],
    trials: 6,
    run(h, r) {
      const shape = randomShape(r, { maxSize: 512 });
      const seed = r.int(0, 0xffffffff);
      const counter = r.pick([0, r.int(0, 1000), r.int(0, 2 ** 40)]);
      const out = h.output(r, dtype, shape);
      h.backend.kernels.fillRandom(out, dist, seed, counter);
      h.record(`fillRandom ${fmt(shape)} seed=${seed} counter=${counter}`, out, dist === 'uniform' ? EXACT : transcendental(dtype));
    },
  })),
);

export const linalgCases: Case[] = [...matmulCases, ...gatherCases, ...scatterAddCases, ...fillRandomCases];

/** gather/scatterAdd must reject an index outside the dim with a NablaError naming it. */
export function badIndexThrows(h: Harness, r: Rng, kernel: 'gather' | 'scatterAdd'): unknown {
  const x = h.input(r, 'float32', [2, 5], 'normal');
  const bad = r.pick([5, 7, -1]);
  const index = h.input(r, 'int32', [2, 2], [0, 1, bad, 2]);
  const other = h.output(r, 'float32', [2, 2]);
  try {
    if (kernel === 'gather') h.backend.kernels.gather(other, x, 1, index);
    else h.backend.kernels.scatterAdd(x, 1, index, other);
  } catch (e) {
    return e instanceof NablaError ? e.message : e;
  }
  return undefined;
}
