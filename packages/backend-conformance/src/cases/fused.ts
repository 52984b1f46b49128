/** Cases for the optional fused kernels; each runs only when the tested backend provides it. */
import type { AdamOptions, SgdOptions } from '@nabla/core';
import { accumulated, transcendental, type Tolerance } from '../compare';
import { FLOATS, fmt, randomShape, type Case } from './case';

const loose = (dtype: 'float32' | 'float64'): Tolerance => {
  const t = transcendental(dtype);
  return { rtol: 4 * t.rtol, atol: 4 * t.atol };
};

export const fusedCases: Case[] = FLOATS.flatMap((dtype): Case[] => [
  ...(['softmax', 'logSoftmax'] as const).map(
    (name): Case => ({
      name: `fused ${name} ${dtype}`,
      dtypes: [dtype],
      fused: name,
      trials: 8,
      run(h, r) {
        const shape = randomShape(r, { minRank: 1, maxRank: 3, zero: 0 });
        const x = h.input(r, dtype, shape, r.pick(['normal', 'small'] as const), { contiguous: true });
        const out = h.output(r, dtype, shape);
        h.backend.fused?.[name]?.(out, x);
        h.record(`${name} ${fmt(shape)}`, out, loose(dtype));
      },
    }),
  ),
  {
    name: `fused softmaxCrossEntropy ${dtype}`,
    dtypes: [dtype, 'int32'],
    fused: 'softmaxCrossEntropy',
    trials: 8,
    run(h, r) {
      const [N, C] = [r.int(1, 9), r.int(1, 12)];
      const x = h.input(r, dtype, [N, C], 'normal', { contiguous: true });
      const target = h.input(r, 'int32', [N], 'index', { max: C - 1, contiguous: true });
      const out = h.output(r, dtype, [N]);
      h.backend.fused?.softmaxCrossEntropy?.(out, x, target);
      h.record(`softmaxCrossEntropy [${N},${C}]`, out, loose(dtype));
    },
  },
  {
    name: `fused softmaxCrossEntropyBackward ${dtype}`,
    dtypes: [dtype, 'int32'],
    fused: 'softmaxCrossEntropyBackward',
    trials: 8,
    run(h, r) {
      const [N, C] = [r.int(1, 9), r.int(1, 12)];
      const x = h.input(r, dtype, [N, C], 'normal', { contiguous: true });
      const target = h.input(r, 'int32', [N], 'index', { max: C - 1, contiguous: true });
      const g = h.input(r, dtype, [N], 'unit', { contiguous: true });
      const out = h.output(r, dtype, [N, C]);
      h.backend.fused?.softmaxCrossEntropyBackward?.(out, x, target, g);
      h.record(`softmaxCrossEntropyBackward [${N},${C}]`, out, loose(dtype));
    },
  },
  {
    name: `fused linear ${dtype}`,
    dtypes: [dtype],
    fused: 'linear',
    trials: 10,
    run(h, r) {
      const [M, K, N] = [r.int(0, 9), r.int(0, 17), r.int(1, 9)];
      const x = h.input(r, dtype, [M, K], 'unit', { contiguous: true });
      const w = h.input(r, dtype, [N, K], 'unit', { contiguous: true });
      const bias = r.chance(0.7) ? h.input(r, dtype, [N], 'unit', { contiguous: true }) : null;
      const act = r.pick(['none', 'relu'] as const);
      const out = h.output(r, dtype, [M, N]);
      h.backend.fused?.linear?.(out, x, w, bias, act);
      h.record(`linear x=[${M},${K}] w=[${N},${K}] bias=${bias !== null} ${act}`, out, accumulated(dtype, K + 1, 1));
    },
  },
  {
    name: `fused sgdUpdate ${dtype}`,
    dtypes: [dtype],
    fused: 'sgdUpdate',
    trials: 10,
    run(h, r) {
      const shape = randomShape(r, { maxRank: 2, zero: 0 });
      const momentum = r.pick([0, 0.9]);
      const nesterov = momentum > 0 && r.chance(0.5);
      const o: SgdOptions = {
        lr: r.pick([0.1, 0.01]),
        momentum,
        dampening: nesterov ? 0 : r.pick([0, 0.1]),
        nesterov,
        weightDecay: r.pick([0, 0.01]),
        hasBuffer: r.chance(0.5),
      };
      const param = h.output(r, dtype, shape, false, 'normal');
      const grad = h.input(r, dtype, shape, 'normal', { contiguous: true });
      const buf = momentum > 0 ? h.output(r, dtype, shape, false, 'normal') : null;
      h.backend.fused?.sgdUpdate?.(param, grad, buf, o);
      const tol = accumulated(dtype, 4, 8);
      h.record(`sgdUpdate param ${fmt(shape)} ${JSON.stringify(o)}`, param, tol);
      if (buf) h.record(`sgdUpdate buffer ${fmt(shape)} ${JSON.stringify(o)}`, buf, tol);
    },
  },
  {
    name: `fused adamUpdate ${dtype}`,
    dtypes: [dtype],
    fused: 'adamUpdate',
    trials: 10,
    run(h, r) {
      const shape = randomShape(r, { maxRank: 2, zero: 0 });
      const o: AdamOptions = {
        lr: r.pick([1e-3, 0.01]),
        beta1: 0.9,
        beta2: r.pick([0.999, 0.99]),
        eps: 1e-8,
        weightDecay: r.pick([0, 0.01]),
        decoupled: r.chance(0.5),
        step: r.int(1, 20),
      };
      const param = h.output(r, dtype, shape, false, 'normal');
      const grad = h.input(r, dtype, shape, 'normal', { contiguous: true });
      const m = h.output(r, dtype, shape, false, 'unit');
      const v = h.output(r, dtype, shape, false, 'positive');
      h.backend.fused?.adamUpdate?.(param, grad, m, v, o);
      const tol = loose(dtype);
      h.record(`adamUpdate param ${fmt(shape)} ${JSON.stringify(o)}`, param, tol);
      h.record(`adamUpdate m ${fmt(shape)}`, m, tol);
      h.record(`adamUpdate v ${fmt(shape)}`, v, tol);
    },
  },
]);
