/**
 * A few large cases (tens of thousands of elements): backends switch to SIMD,
 * blocking and threads above size thresholds, and their tails and chunk seams
 * only show up at these sizes.
 */
import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@nabla/core';
import { EXACT, accumulated, transcendental } from '../compare';
import type { Rng } from '../rng';
import { ALL_DTYPES, FLOATS, fmt, type Case } from './case';

const big = (r: Rng) => [r.int(97, 260), r.int(61, 190)];

const unary: Case[] = (['exp', 'neg', 'sigmoid', 'relu', 'tanh'] as const satisfies readonly UnaryOp[]).flatMap((op) =>
  FLOATS.map((dtype) => ({
    name: `large unary ${op} ${dtype}`,
    dtypes: [dtype],
    trials: 2,
    run(h, r) {
      const shape = big(r);
      const x = h.input(r, dtype, shape, 'normal', { broadcast: true });
      const out = h.output(r, dtype, shape);
      h.backend.kernels.unary(op, out, x);
      h.record(`${op} ${fmt(shape)} strides=${fmt(x.strides)}`, out, op === 'neg' || op === 'relu' ? EXACT : transcendental(dtype));
    },
  })),
);

const binary: Case[] = (['add', 'mul', 'maximum', 'lt'] as const satisfies readonly BinaryOp[]).flatMap((op) =>
  ALL_DTYPES.map((dtype) => ({
    name: `large binary ${op} ${dtype}`,
    dtypes: op === 'lt' ? [dtype, 'bool'] : [dtype],
    trials: 2,
    run(h, r) {
      const shape = big(r);
      const a = h.input(r, dtype, shape, 'normal', { broadcast: true });
      const b = h.input(r, dtype, shape, 'normal', { broadcast: true });
      const out = h.output(r, op === 'lt' ? 'bool' : dtype, shape);
      h.backend.kernels.binary(op, out, a, b);
      h.record(`${op} ${fmt(shape)} a.strides=${fmt(a.strides)} b.strides=${fmt(b.strides)}`, out, EXACT);
    },
  })),
);

const reduce: Case[] = (['sum', 'max'] as const satisfies readonly ReduceOp[]).flatMap((op) =>
  (['float32', 'float64', 'int32'] as const).map((dtype: DType) => ({
    name: `large reduce ${op} ${dtype}`,
    dtypes: [dtype],
    trials: 3,
    run(h, r) {
      const shape = big(r);
      const axes = r.pick([[0], [1], [0, 1]]);
      const x = h.input(r, dtype, shape, 'normal', { broadcast: true });
      const out = h.output(r, dtype, shape.map((d, i) => (axes.includes(i) ? 1 : d)));
      h.backend.kernels.reduce(op, out, x, axes);
      const K = axes.reduce((n, a) => n * shape[a], 1);
      h.record(`${op} ${fmt(shape)} strides=${fmt(x.strides)} axes=${fmt(axes)}`, out, op === 'sum' ? accumulated(dtype, K, 8) : EXACT);
    },
  })),
);

const other: Case[] = FLOATS.flatMap((dtype): Case[] => [
  {
    name: `large matmul ${dtype}`,
    dtypes: [dtype],
    trials: 2,
    run(h, r) {
      const [B, M, K, N] = [r.int(1, 2), r.int(33, 130), r.int(17, 300), r.int(20, 130)];
      const a = h.input(r, dtype, [B, M, K], 'unit', { broadcast: true });
      const b = h.input(r, dtype, [B, K, N], 'unit', { broadcast: true });
      const out = h.output(r, dtype, [B, M, N]);
      h.backend.kernels.matmul(out, a, b);
      h.record(`matmul [${B},${M},${K}]@[${B},${K},${N}] a.strides=${fmt(a.strides)} b.strides=${fmt(b.strides)}`, out, accumulated(dtype, K, 1));
    },
  },
  {
    name: `large copy and cast ${dtype}`,
    dtypes: [dtype, 'int32'],
    trials: 2,
    run(h, r) {
      const shape = big(r);
      const x = h.input(r, dtype, shape, 'wide', { broadcast: true });
      const copied = h.output(r, dtype, shape, true);
      h.backend.kernels.copy(copied, x);
      h.record(`copy ${fmt(shape)} out.strides=${fmt(copied.strides)} x.strides=${fmt(x.strides)}`, copied, EXACT);
      const cast = h.output(r, 'int32', shape);
      h.backend.kernels.cast(cast, x);
      h.record(`cast ${fmt(shape)}`, cast, EXACT);
    },
  },
  {
    name: `large fillRandom ${dtype}`,
    dtypes: [dtype],
    trials: 2,
    run(h, r) {
      const shape = big(r);
      const dist = r.pick(['uniform', 'normal'] as const);
      const out = h.output(r, dtype, shape);
      const [seed, counter] = [r.int(0, 0xffffffff), r.int(0, 1e6)];
      h.backend.kernels.fillRandom(out, dist, seed, counter);
      h.record(`fillRandom ${dist} ${fmt(shape)} seed=${seed} counter=${counter}`, out, dist === 'uniform' ? EXACT : transcendental(dtype));
    },
  },
  {
    name: `large conv2d and pooling ${dtype}`,
    dtypes: [dtype, 'int32'],
    trials: 1,
    run(h, r) {
      const [N, C, H, W, O] = [2, r.int(3, 8), r.int(20, 30), r.int(20, 30), r.int(4, 16)];
      const p = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 } as const;
      const x = h.input(r, dtype, [N, C, H, W], 'unit');
      const w = h.input(r, dtype, [O, C, 3, 3], 'unit');
      const y = h.output(r, dtype, [N, O, H, W]);
      h.backend.kernels.conv2d(y, x, w, p);
      h.record(`conv2d x=${fmt(x.shape)} w=${fmt(w.shape)}`, y, accumulated(dtype, C * 9, 1));
      const pool = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], countIncludePad: true } as const;
      const pooledShape = [N, C, H >> 1, W >> 1];
      const m = h.output(r, dtype, pooledShape);
      const idx = h.output(r, 'int32', pooledShape);
      h.backend.kernels.maxPool2d(m, idx, x, pool);
      h.record('maxPool2d values', m, EXACT);
      h.record('maxPool2d indices', idx, EXACT);
      const avg = h.output(r, dtype, pooledShape);
      h.backend.kernels.avgPool2d(avg, x, pool);
      h.record('avgPool2d', avg, accumulated(dtype, 4, 1));
    },
  },
  {
    name: `large fused softmax and linear ${dtype}`,
    dtypes: [dtype],
    fused: 'linear',
    trials: 1,
    run(h, r) {
      const [M, K, N] = [r.int(60, 130), r.int(200, 400), r.int(60, 130)];
      const x = h.input(r, dtype, [M, K], 'unit', { contiguous: true });
      const w = h.input(r, dtype, [N, K], 'unit', { contiguous: true });
      const bias = h.input(r, dtype, [N], 'unit', { contiguous: true });
      const out = h.output(r, dtype, [M, N]);
      h.backend.fused?.linear?.(out, x, w, bias, 'relu');
      h.record(`linear [${M},${K}] w=[${N},${K}]`, out, accumulated(dtype, K + 1, 1));
      if (!h.backend.fused?.softmax) return;
      const rows = h.input(r, dtype, [M, K], 'normal', { contiguous: true });
      const sm = h.output(r, dtype, [M, K]);
      h.backend.fused.softmax(sm, rows);
      const t = transcendental(dtype);
      h.record(`softmax [${M},${K}]`, sm, { rtol: 4 * t.rtol, atol: 4 * t.atol });
    },
  },
]);

export const largeCases: Case[] = [...unary, ...binary, ...reduce, ...other];
