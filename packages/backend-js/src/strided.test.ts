import { describe, expect, it } from 'vitest';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, contiguousStrides, isCompareOp, type DType, type View } from '@nabla/core';
import { createJsBackend } from './backend';
import type { JsStorage } from './storage';

// Every strided path must equal the same kernel on dense copies. The dense copies are
// made by a naive per-element index walk, independent of layout.ts's coalescing.
const js = createJsBackend();
const k = js.kernels;
type V = View<JsStorage>;

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function randomShape(): number[] {
  return Array.from({ length: int(0, 4) }, () => [0, 1, 1, 2, 3, 4][int(0, 5)]);
}

/** A view of `shape` in a random layout: permuted, stepped, offset and/or broadcast (stride 0). */
function randomView(dtype: DType, shape: number[], broadcast = true): V {
  const steps = shape.map(() => int(1, 2));
  const perm = shape.map((_, i) => i).sort(() => rand() - 0.5);
  const bshape = shape.map((d) => (broadcast && d > 1 && rand() < 0.3 ? 1 : d));
  const baseShape = perm.map((d) => Math.max(1, bshape[d] * steps[d]));
  const baseStrides = contiguousStrides(baseShape);
  const strides = new Array<number>(shape.length);
  perm.forEach((d, i) => (strides[d] = bshape[d] === 1 && shape[d] !== 1 ? 0 : baseStrides[i] * steps[d]));
  const offset = int(0, 3);
  const size = offset + baseShape.reduce((a, b) => a * b, 1);
  const storage = js.alloc(dtype, size);
  for (let i = 0; i < size; i++) storage[i] = dtype === 'bool' ? int(0, 1) : dtype === 'int32' ? int(-9, 9) : (rand() - 0.5) * 8;
  return { storage, dtype, shape, strides, offset };
}

function dense(v: V): V {
  const n = v.shape.reduce((a, b) => a * b, 1);
  const storage = js.alloc(v.dtype, n);
  for (let i = 0; i < n; i++) {
    let off = v.offset;
    let rem = i;
    for (let d = v.shape.length - 1; d >= 0; d--) {
      off += (rem % v.shape[d]) * v.strides[d];
      rem = Math.floor(rem / v.shape[d]);
    }
    storage[i] = v.storage[off];
  }
  return { ...v, storage, strides: contiguousStrides(v.shape), offset: 0 };
}

const fresh = (dtype: DType, shape: number[]): V => ({
  storage: js.alloc(dtype, shape.reduce((a, b) => a * b, 1)),
  dtype,
  shape,
  strides: contiguousStrides(shape),
  offset: 0,
});
const same = (a: V, b: V) => expect(Array.from(a.storage)).toEqual(Array.from(b.storage));
const DTYPES = ['float32', 'float64', 'int32', 'bool'] as const;

describe('strided kernels equal the kernels on dense copies', () => {
  it('unary, binary, where, cast', () => {
    for (let trial = 0; trial < 40; trial++) {
      const dtype = DTYPES[trial % 4];
      const shape = randomShape();
      const x = randomView(dtype, shape);
      const y = randomView(dtype, shape);
      for (const op of UNARY_OPS) {
        const [o1, o2] = [fresh(dtype, shape), fresh(dtype, shape)];
        k.unary(op, o1, x);
        k.unary(op, o2, dense(x));
        same(o1, o2);
      }
      for (const op of BINARY_OPS) {
        const od = isCompareOp(op) ? 'bool' : dtype;
        const [o1, o2] = [fresh(od, shape), fresh(od, shape)];
        k.binary(op, o1, x, y);
        k.binary(op, o2, dense(x), dense(y));
        same(o1, o2);
      }
      const c = randomView('bool', shape);
      const [w1, w2] = [fresh(dtype, shape), fresh(dtype, shape)];
      k.where(w1, c, x, y);
      k.where(w2, dense(c), dense(x), dense(y));
      same(w1, w2);
      const to = DTYPES[int(0, 3)];
      const [c1, c2] = [fresh(to, shape), fresh(to, shape)];
      k.cast(c1, x);
      k.cast(c2, dense(x));
      same(c1, c2);
    }
  });

  it('copy into a strided output', () => {
    for (let trial = 0; trial < 40; trial++) {
      const dtype = DTYPES[trial % 4];
      const shape = randomShape();
      const x = randomView(dtype, shape);
      const out = randomView(dtype, shape, false);
      k.copy(out, x);
      same(dense(out), dense(x));
    }
  });

  it('reduce over random axes and argReduce', () => {
    for (let trial = 0; trial < 40; trial++) {
      const dtype = DTYPES[trial % 4];
      const shape = randomShape();
      const x = randomView(dtype, shape);
      const axes = shape.map((_, i) => i).filter(() => rand() < 0.5);
      const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      for (const op of REDUCE_OPS) {
        const [o1, o2] = [fresh(dtype, outShape), fresh(dtype, outShape)];
        k.reduce(op, o1, x, axes);
        k.reduce(op, o2, dense(x), axes);
        same(o1, o2);
      }
      if (shape.length === 0 || shape.includes(0)) continue;
      const axis = int(0, shape.length - 1);
      const argShape = shape.map((d, i) => (i === axis ? 1 : d));
      const [a1, a2] = [fresh('int32', argShape), fresh('int32', argShape)];
      k.argReduce('argmax', a1, x, axis);
      k.argReduce('argmax', a2, dense(x), axis);
      same(a1, a2);
    }
  });
});

describe('reduce and argReduce against a naive definition', () => {
  it('sum and argmin over one axis of a permuted view', () => {
    const x = randomView('float64', [3, 4, 2], false);
    const d = dense(x);
    const sum = fresh('float64', [3, 1, 2]);
    k.reduce('sum', sum, x, [1]);
    const arg = fresh('int32', [3, 1, 2]);
    k.argReduce('argmin', arg, x, 1);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        const col = [0, 1, 2, 3].map((m) => d.storage[i * 8 + m * 2 + j]);
        expect(sum.storage[i * 2 + j]).toBeCloseTo(col.reduce((a, b) => a + b, 0), 12);
        expect(arg.storage[i * 2 + j]).toBe(col.indexOf(Math.min(...col)));
      }
  });
});
