/** Cases for reduce (sum/prod/max/min over axis sets) and argReduce (first max/min, NaN wins). */
import { ARG_REDUCE_OPS, REDUCE_OPS, type DType, type ReduceOp } from '@nabla/core';
import { EXACT, accumulated, type Tolerance } from '../compare';
import type { DataKind } from '../harness';
import { ALL_DTYPES, fmt, randomShape, type Case } from './case';

const isFloat = (d: DType) => d === 'float32' || d === 'float64';

// prod on floats uses (-1, 1) data so products neither overflow nor sink into denormals.
const DATA: Record<ReduceOp, (float: boolean) => DataKind[]> = {
  sum: (float) => (float ? ['normal', 'small'] : ['normal', 'wide']),
  prod: (float) => (float ? ['unit', 'small'] : ['small', 'wide']),
  max: () => ['normal', 'small', 'special'],
  min: () => ['normal', 'small', 'special'],
};

function reduceTol(op: ReduceOp, dtype: DType, K: number): Tolerance {
  if (op === 'max' || op === 'min' || !isFloat(dtype)) return EXACT;
  if (op === 'sum') return accumulated(dtype, K, 8);
  return { rtol: 4 * K * (dtype === 'float32' ? 1.2e-7 : 2.3e-16), atol: 1e-30 };
}

const reduceCases: Case[] = REDUCE_OPS.flatMap((op) =>
  ALL_DTYPES.map((dtype) => ({
    name: `reduce ${op} ${dtype}`,
    dtypes: [dtype],
    trials: 8,
    run(h, r) {
      const shape = randomShape(r);
      const axes = shape.map((_, d) => d).filter(() => r.chance(0.5));
      const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const K = axes.reduce((n, a) => n * shape[a], 1);
      const x = h.input(r, dtype, shape, r.pick(DATA[op](isFloat(dtype))), { broadcast: true });
      const out = h.output(r, dtype, outShape);
      h.backend.kernels.reduce(op, out, x, axes);
      h.record(`${op} x=${fmt(shape)} strides=${fmt(x.strides)} axes=${fmt(axes)}`, out, reduceTol(op, dtype, K));
    },
  })),
);

const argReduceCases: Case[] = ARG_REDUCE_OPS.flatMap((op) =>
  ALL_DTYPES.map((dtype) => ({
    name: `argReduce ${op} ${dtype}`,
    dtypes: [dtype, 'int32'],
    trials: 8,
    run(h, r) {
      const shape = randomShape(r, { minRank: 1 });
      const axis = r.int(0, shape.length - 1);
      if (shape[axis] === 0) shape[axis] = 3; // the tensor layer rejects arg-reductions over empty dims
      const x = h.input(r, dtype, shape, r.pick(['small', 'special', 'normal'] as const), { broadcast: true });
      const out = h.output(r, 'int32', shape.map((d, i) => (i === axis ? 1 : d)));
      h.backend.kernels.argReduce(op, out, x, axis);
      h.record(`${op} x=${fmt(shape)} strides=${fmt(x.strides)} axis=${axis}`, out, EXACT);
    },
  })),
);

export const reduceCasesAll: Case[] = [...reduceCases, ...argReduceCases];
