/** Reductions over a set of axes (sum, prod, max, min) and index reductions along one axis (argmax, argmin). */
import type { ArgReduceOp, ReduceOp, View } from '@nabla/core';
import { forEachRow, planLoop, rowMajor, sizeOf, writeDense } from '../layout';
import { CAST_TO, REDUCE } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

/**
 * Walks x once in its own memory order, accumulating into a float64 buffer laid
 * out like out (stride 0 on reduced axes); floats therefore round once, at the end.
 */
export function reduce(op: ReduceOp, out: V, x: V, axes: readonly number[]): void {
  const row = REDUCE[op];
  const isFloat = x.dtype === 'float32' || x.dtype === 'float64';
  const f = isFloat ? row.float : row.int;
  const acc = new Float64Array(sizeOf(out.shape)).fill(row.init);
  const accStrides = rowMajor(out.shape);
  for (const a of axes) accStrides[a] = 0;
  const xs = x.storage;
  const plan = planLoop(x.shape, [accStrides, x.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const sa = plan.strides[0][last];
  const sx = plan.strides[1][last];
  if (op === 'sum' && isFloat) {
    forEachRow(plan, [0, x.offset], (offs) => {
      let pa = offs[0];
      let px = offs[1];
      if (sa === 0) {
        let s = acc[pa];
        for (let i = 0; i < n; i++, px += sx) s += xs[px];
        acc[pa] = s;
      } else {
        for (let i = 0; i < n; i++, pa += sa, px += sx) acc[pa] += xs[px];
      }
    });
  } else {
    forEachRow(plan, [0, x.offset], (offs) => {
      let pa = offs[0];
      let px = offs[1];
      for (let i = 0; i < n; i++, pa += sa, px += sx) acc[pa] = f(acc[pa], xs[px]);
    });
  }
  writeDense(out, acc, CAST_TO[out.dtype]);
}

/**
 * The index of the first max (argmax) or min (argmin) along `axis`; a NaN beats
 * everything and the first NaN wins (torch.argmax). An empty axis gives 0.
 */
export function argReduce(op: ArgReduceOp, out: V, x: V, axis: number): void {
  const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
  const len = x.shape[axis] ?? 1;
  const step = x.strides[axis] ?? 0;
  const outerShape = x.shape.filter((_, d) => d !== axis);
  const xStrides = x.strides.filter((_, d) => d !== axis);
  const oStrides = out.strides.filter((_, d) => d !== axis);
  const xs = x.storage;
  const o = out.storage;
  const plan = planLoop(outerShape, [oStrides, xStrides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const sx = plan.strides[1][last];
  forEachRow(plan, [out.offset, x.offset], (offs) => {
    let po = offs[0];
    let px = offs[1];
    for (let i = 0; i < n; i++, po += so, px += sx) {
      let best = xs[px];
      let bestIdx = 0;
      if (best === best) {
        for (let k = 1, p = px + step; k < len; k++, p += step) {
          const v = xs[p];
          if (v !== v) {
            bestIdx = k;
            break;
          }
          if (better(v, best)) {
            best = v;
            bestIdx = k;
          }
        }
      }
      o[po] = bestIdx;
    }
  });
}
