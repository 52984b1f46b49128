/** Cases for unary, binary, where, cast and copy on random shapes, layouts and broadcasts. */
import { BINARY_OPS, UNARY_OPS, isCompareOp, type BinaryOp, type DType, type UnaryOp } from '@nabla/core';
import { EXACT, transcendental } from '../compare';
import type { DataKind } from '../harness';
import { ALL_DTYPES, fmt, randomShape, type Case } from './case';

const isFloat = (d: DType) => d === 'float32' || d === 'float64';

// Ops IEEE rounds exactly (or that only move bits): every backend must agree to the bit.
const EXACT_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign', 'reciprocal', 'square', 'sqrt', 'relu', 'floor', 'ceil', 'round', 'logicalNot']);
const POSITIVE_DOMAIN = new Set<UnaryOp>(['log', 'log1p', 'sqrt', 'rsqrt']);

function unaryData(op: UnaryOp, dtype: DType, pick: (kinds: DataKind[]) => DataKind): DataKind {
  if (!isFloat(dtype)) return pick(['normal', 'wide', 'small']);
  if (POSITIVE_DOMAIN.has(op)) return pick(['positive', 'positive', 'normal', 'special']);
  return pick(['normal', 'normal', 'unit', 'special']);
}

function binaryData(op: BinaryOp, dtype: DType, pick: (kinds: DataKind[]) => DataKind): [DataKind, DataKind] {
  if (!isFloat(dtype)) return op === 'pow' ? ['small', 'small'] : [pick(['normal', 'wide', 'small']), pick(['normal', 'wide', 'small'])];
  if (op === 'pow') return [pick(['positive', 'normal', 'small']), pick(['unit', 'small'])];
  return [pick(['normal', 'small', 'special']), pick(['normal', 'small', 'special'])];
}

const unaryCases: Case[] = UNARY_OPS.flatMap((op) =>
  ALL_DTYPES.map((dtype) => ({
    name: `unary ${op} ${dtype}`,
    dtypes: [dtype],
    trials: 6,
    run(h, r) {
      const shape = randomShape(r);
      const x = h.input(r, dtype, shape, unaryData(op, dtype, (k) => r.pick(k)), { broadcast: true });
      const out = h.output(r, dtype, shape);
      h.backend.kernels.unary(op, out, x);
      h.record(`${op} x=${fmt(shape)} strides=${fmt(x.strides)}`, out, EXACT_UNARY.has(op) ? EXACT : transcendental(dtype));
    },
  })),
);

const binaryCases: Case[] = BINARY_OPS.flatMap((op) =>
  ALL_DTYPES.map((dtype) => ({
    name: `binary ${op} ${dtype}`,
    dtypes: isCompareOp(op) ? [dtype, 'bool'] : [dtype],
    trials: 6,
    run(h, r) {
      const shape = randomShape(r);
      const [ka, kb] = binaryData(op, dtype, (k) => r.pick(k));
      const a = h.input(r, dtype, shape, ka, { broadcast: true });
      const b = h.input(r, dtype, shape, kb, { broadcast: true });
      const out = h.output(r, isCompareOp(op) ? 'bool' : dtype, shape);
      h.backend.kernels.binary(op, out, a, b);
      const tol = op === 'pow' ? transcendental(dtype) : EXACT;
      h.record(`${op} ${fmt(shape)} a.strides=${fmt(a.strides)} b.strides=${fmt(b.strides)}`, out, tol);
    },
  })),
);

const whereCases: Case[] = ALL_DTYPES.map((dtype) => ({
  name: `where ${dtype}`,
  dtypes: [dtype, 'bool'],
  trials: 8,
  run(h, r) {
    const shape = randomShape(r);
    const cond = h.input(r, 'bool', shape, 'normal', { broadcast: true });
    const a = h.input(r, dtype, shape, 'normal', { broadcast: true });
    const b = h.input(r, dtype, shape, 'special', { broadcast: true });
    const out = h.output(r, dtype, shape);
    h.backend.kernels.where(out, cond, a, b);
    h.record(`where ${fmt(shape)}`, out, EXACT);
  },
}));

const castCases: Case[] = ALL_DTYPES.flatMap((from) =>
  ALL_DTYPES.map((to) => ({
    name: `cast ${from} -> ${to}`,
    dtypes: [from, to],
    trials: 6,
    run(h, r) {
      const shape = randomShape(r);
      const x = h.input(r, from, shape, r.pick(['normal', 'wide', 'small', 'special', 'unit'] as const), { broadcast: true });
      const out = h.output(r, to, shape);
      h.backend.kernels.cast(out, x);
      h.record(`cast ${fmt(shape)}`, out, EXACT);
    },
  })),
);

const copyCases: Case[] = ALL_DTYPES.map((dtype) => ({
  name: `copy ${dtype} (strided out)`,
  dtypes: [dtype],
  trials: 10,
  run(h, r) {
    const shape = randomShape(r);
    const x = h.input(r, dtype, shape, 'special', { broadcast: true });
    const out = h.output(r, dtype, shape, true);
    h.backend.kernels.copy(out, x);
    h.record(`copy ${fmt(shape)} out.strides=${fmt(out.strides)} x.strides=${fmt(x.strides)}`, out, EXACT);
  },
}));

export const elementwiseCases: Case[] = [...unaryCases, ...binaryCases, ...whereCases, ...castCases, ...copyCases];
