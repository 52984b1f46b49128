/** Cases for conv2d (+ both backward kernels), maxPool2d, avgPool2d (+ backward), float dtypes only. */
import type { Conv2dParams, Pool2dParams } from '@nabla/core';
import { EXACT, accumulated } from '../compare';
import type { Rng } from '../rng';
import { FLOATS, fmt, type Case } from './case';

/**
 * Output extent of a window sweep; grows `size` until a window fits and is at least
 * the dilation, so no window's taps skip over the whole input (all-padding windows).
 */
function fit(r: Rng, k: number, s: number, p: number, d: number): { size: number; out: number } {
  let size = r.int(1, 7);
  while (size + 2 * p < d * (k - 1) + 1 || size < d) size++;
  return { size, out: Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1 };
}

interface ConvSetup {
  p: Conv2dParams;
  x: number[];
  w: number[];
  y: number[];
}

function convSetup(r: Rng): ConvSetup {
  const groups = r.pick([1, 1, 2]);
  const Cg = r.int(1, 3);
  const Og = r.int(1, 3);
  const N = r.int(1, 2);
  const [kh, kw] = [r.int(1, 3), r.int(1, 3)];
  const stride = [r.int(1, 2), r.int(1, 2)] as const;
  const padding = [r.int(0, 2), r.int(0, 1)] as const;
  const dilation = [r.int(1, 2), r.int(1, 2)] as const;
  const hh = fit(r, kh, stride[0], padding[0], dilation[0]);
  const ww = fit(r, kw, stride[1], padding[1], dilation[1]);
  return {
    p: { stride, padding, dilation, groups },
    x: [N, groups * Cg, hh.size, ww.size],
    w: [groups * Og, Cg, kh, kw],
    y: [N, groups * Og, hh.out, ww.out],
  };
}

const describeConv = (s: ConvSetup) =>
  `x=${fmt(s.x)} w=${fmt(s.w)} stride=${fmt(s.p.stride)} pad=${fmt(s.p.padding)} dil=${fmt(s.p.dilation)} groups=${s.p.groups}`;

const convCases: Case[] = FLOATS.flatMap((dtype) => [
  {
    name: `conv2d ${dtype}`,
    dtypes: [dtype],
    trials: 8,
    run(h, r) {
      const s = convSetup(r);
      const x = h.input(r, dtype, s.x, 'unit');
      const w = h.input(r, dtype, s.w, 'unit');
      const out = h.output(r, dtype, s.y);
      h.backend.kernels.conv2d(out, x, w, s.p);
      h.record(`conv2d ${describeConv(s)}`, out, accumulated(dtype, s.w[1] * s.w[2] * s.w[3], 1));
    },
  },
  {
    name: `conv2dBackwardInput ${dtype}`,
    dtypes: [dtype],
    trials: 8,
    run(h, r) {
      const s = convSetup(r);
      const dy = h.input(r, dtype, s.y, 'unit');
      const w = h.input(r, dtype, s.w, 'unit');
      const out = h.output(r, dtype, s.x);
      h.backend.kernels.conv2dBackwardInput(out, dy, w, s.p);
      h.record(`conv2dBackwardInput ${describeConv(s)}`, out, accumulated(dtype, s.w[0] * s.w[2] * s.w[3], 1));
    },
  },
  {
    name: `conv2dBackwardWeight ${dtype}`,
    dtypes: [dtype],
    trials: 8,
    run(h, r) {
      const s = convSetup(r);
      const x = h.input(r, dtype, s.x, 'unit');
      const dy = h.input(r, dtype, s.y, 'unit');
      const out = h.output(r, dtype, s.w);
      h.backend.kernels.conv2dBackwardWeight(out, x, dy, s.p);
      h.record(`conv2dBackwardWeight ${describeConv(s)}`, out, accumulated(dtype, s.y[0] * s.y[2] * s.y[3], 1));
    },
  },
]);

function poolSetup(r: Rng, dilated: boolean): { p: Pool2dParams; x: number[]; y: number[] } {
  const kernel = [r.int(1, 3), r.int(1, 3)] as const;
  const stride = [r.int(1, 3), r.int(1, 2)] as const;
  // PyTorch requires padding <= kernel / 2.
  const padding = [r.int(0, kernel[0] >> 1), r.int(0, kernel[1] >> 1)] as const;
  const dilation = dilated ? ([r.int(1, 2), r.int(1, 2)] as const) : ([1, 1] as const);
  const hh = fit(r, kernel[0], stride[0], padding[0], dilation[0]);
  const ww = fit(r, kernel[1], stride[1], padding[1], dilation[1]);
  const [N, C] = [r.int(1, 2), r.int(1, 3)];
  return {
    p: { kernel, stride, padding, dilation, countIncludePad: r.chance(0.5) },
    x: [N, C, hh.size, ww.size],
    y: [N, C, hh.out, ww.out],
  };
}

const describePool = (s: { p: Pool2dParams; x: number[] }) =>
  `x=${fmt(s.x)} k=${fmt(s.p.kernel)} stride=${fmt(s.p.stride)} pad=${fmt(s.p.padding)} dil=${fmt(s.p.dilation)} cip=${s.p.countIncludePad}`;

const poolCases: Case[] = FLOATS.flatMap((dtype) => [
  {
    name: `maxPool2d ${dtype}`,
    dtypes: [dtype, 'int32'],
    trials: 10,
    run(h, r) {
      const s = poolSetup(r, true);
      // Small integers make ties (the first max wins); 'special' adds NaN (the last NaN wins) and -inf.
      const x = h.input(r, dtype, s.x, r.pick(['small', 'special', 'normal'] as const));
      const out = h.output(r, dtype, s.y);
      const indices = h.output(r, 'int32', s.y);
      h.backend.kernels.maxPool2d(out, indices, x, s.p);
      h.record(`maxPool2d values ${describePool(s)}`, out, EXACT);
      h.record(`maxPool2d indices ${describePool(s)}`, indices, EXACT);
    },
  },
  {
    name: `avgPool2d ${dtype}`,
    dtypes: [dtype],
    trials: 10,
    run(h, r) {
      const s = poolSetup(r, r.chance(0.3));
      const x = h.input(r, dtype, s.x, 'normal');
      const out = h.output(r, dtype, s.y);
      h.backend.kernels.avgPool2d(out, x, s.p);
      h.record(`avgPool2d ${describePool(s)}`, out, accumulated(dtype, s.p.kernel[0] * s.p.kernel[1], 8));
    },
  },
  {
    name: `avgPool2dBackward ${dtype}`,
    dtypes: [dtype],
    trials: 10,
    run(h, r) {
      const s = poolSetup(r, r.chance(0.3));
      const dy = h.input(r, dtype, s.y, 'normal');
      const out = h.output(r, dtype, s.x);
      h.backend.kernels.avgPool2dBackward(out, dy, s.p);
      h.record(`avgPool2dBackward ${describePool(s)}`, out, accumulated(dtype, s.p.kernel[0] * s.p.kernel[1], 8));
    },
  },
]);

export const spatialCases: Case[] = [...convCases, ...poolCases];
