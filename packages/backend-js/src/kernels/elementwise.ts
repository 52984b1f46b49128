/** The elementwise families: unary, binary, where, cast and copy, each one strided loop plus a dense fast path. */
import type { BinaryOp, UnaryOp, View } from '@nabla/core';
import { forEachRow, isDense, planLoop } from '../layout';
import { CAST_TO, binaryFn, unaryFn } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

export function unary(op: UnaryOp, out: V, x: V): void {
  mapUnary(unaryFn(op, x.dtype), out, x);
}

/** out[i] = f(x[i]) over x's shape; shared by unary and cast. */
function mapUnary(f: (x: number) => number, out: V, x: V): void {
  const o = out.storage;
  const xs = x.storage;
  if (isDense(out) && isDense(x)) {
    const n = sizeOfView(out);
    const oo = out.offset;
    const xo = x.offset;
    for (let i = 0; i < n; i++) o[oo + i] = f(xs[xo + i]);
    return;
  }
  const plan = planLoop(out.shape, [out.strides, x.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const sx = plan.strides[1][last];
  if (last <= 1) {
    const rows = last === 1 ? plan.shape[0] : 1;
    const [ro, rx] = last === 1 ? [plan.strides[0][0], plan.strides[1][0]] : [0, 0];
    for (let r = 0; r < rows; r++) {
      let po = out.offset + r * ro;
      let px = x.offset + r * rx;
      for (let i = 0; i < n; i++, po += so, px += sx) o[po] = f(xs[px]);
    }
    return;
  }
  forEachRow(plan, [out.offset, x.offset], (offs) => {
    let po = offs[0];
    let px = offs[1];
    for (let i = 0; i < n; i++, po += so, px += sx) o[po] = f(xs[px]);
  });
}

// Hand-written loops for the hottest dense float ops: they skip the per-element
// call through the table (the table rows remain the definition; tests compare both).
const DENSE_FLOAT_BINARY: Partial<Record<BinaryOp, (o: JsStorage, oo: number, a: JsStorage, ao: number, b: JsStorage, bo: number, n: number) => void>> = {
  add: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
  },
  sub: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
  },
  mul: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
  },
  div: (o, oo, a, ao, b, bo, n) => {
    for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
  },
};

export function binary(op: BinaryOp, out: V, a: V, b: V): void {
  const o = out.storage;
  const as = a.storage;
  const bs = b.storage;
  const float = a.dtype === 'float32' || a.dtype === 'float64';
  if (isDense(out) && isDense(a) && isDense(b)) {
    const n = sizeOfView(out);
    const fast = float ? DENSE_FLOAT_BINARY[op] : undefined;
    if (fast) {
      fast(o, out.offset, as, a.offset, bs, b.offset, n);
      return;
    }
    const f = binaryFn(op, a.dtype);
    const oo = out.offset;
    const ao = a.offset;
    const bo = b.offset;
    for (let i = 0; i < n; i++) o[oo + i] = f(as[ao + i], bs[bo + i]);
    return;
  }
  const f = binaryFn(op, a.dtype);
  const plan = planLoop(out.shape, [out.strides, a.strides, b.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const sa = plan.strides[1][last];
  const sb = plan.strides[2][last];
  if (last <= 1) {
    // One or two coalesced dims (most broadcasts): plain nested loops, no row callback.
    const rows = last === 1 ? plan.shape[0] : 1;
    const [ro, ra, rb] = last === 1 ? [plan.strides[0][0], plan.strides[1][0], plan.strides[2][0]] : [0, 0, 0];
    for (let r = 0; r < rows; r++) {
      let po = out.offset + r * ro;
      let pa = a.offset + r * ra;
      let pb = b.offset + r * rb;
      for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = f(as[pa], bs[pb]);
    }
    return;
  }
  forEachRow(plan, [out.offset, a.offset, b.offset], (offs) => {
    let po = offs[0];
    let pa = offs[1];
    let pb = offs[2];
    for (let i = 0; i < n; i++, po += so, pa += sa, pb += sb) o[po] = f(as[pa], bs[pb]);
  });
}

export function where(out: V, cond: V, a: V, b: V): void {
  const o = out.storage;
  const cs = cond.storage;
  const as = a.storage;
  const bs = b.storage;
  if (isDense(out) && isDense(cond) && isDense(a) && isDense(b)) {
    const n = sizeOfView(out);
    const [oo, co, ao, bo] = [out.offset, cond.offset, a.offset, b.offset];
    for (let i = 0; i < n; i++) o[oo + i] = cs[co + i] ? as[ao + i] : bs[bo + i];
    return;
  }
  const plan = planLoop(out.shape, [out.strides, cond.strides, a.strides, b.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const [so, sc, sa, sb] = plan.strides.map((s) => s[last]);
  forEachRow(plan, [out.offset, cond.offset, a.offset, b.offset], (offs) => {
    let [po, pc, pa, pb] = offs;
    for (let i = 0; i < n; i++, po += so, pc += sc, pa += sa, pb += sb) o[po] = cs[pc] ? as[pa] : bs[pb];
  });
}

/** Converts x into out's dtype (see CAST_TO: truncate and saturate to int32, NaN -> 0; to bool is x != 0). */
export function cast(out: V, x: V): void {
  mapUnary(CAST_TO[out.dtype], out, x);
}

/** out = x through arbitrary strides on both sides. */
export function copy(out: V, x: V): void {
  const o = out.storage;
  const xs = x.storage;
  if (isDense(out) && isDense(x)) {
    const n = sizeOfView(out);
    o.set(xs.subarray(x.offset, x.offset + n) as never, out.offset);
    return;
  }
  const plan = planLoop(out.shape, [out.strides, x.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const so = plan.strides[0][last];
  const sx = plan.strides[1][last];
  forEachRow(plan, [out.offset, x.offset], (offs) => {
    let po = offs[0];
    let px = offs[1];
    for (let i = 0; i < n; i++, po += so, px += sx) o[po] = xs[px];
  });
}

function sizeOfView(v: V): number {
  let n = 1;
  for (const d of v.shape) n *= d;
  return n;
}
