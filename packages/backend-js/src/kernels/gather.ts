/** gather and scatterAdd along one dim; the only kernels that check data (index values) and throw. */
import { NablaError, type View } from '@nabla/core';
import { forEachRow, planLoop } from '../layout';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

function outOfRange(op: string, v: number, dim: number, size: number): NablaError {
  return new NablaError(op, `index ${v} out of range for dim ${dim} of size ${size}`);
}

/** out[..i..] = x[..index[..i..]..] along `dim`; x is walked with stride 0 at `dim` and the index added per element. */
export function gather(out: V, x: V, dim: number, index: V): void {
  const size = x.shape[dim];
  const step = x.strides[dim];
  const xStrides = x.strides.map((s, d) => (d === dim ? 0 : s));
  const plan = planLoop(index.shape, [out.strides, index.strides, xStrides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const [so, si, sx] = plan.strides.map((s) => s[last]);
  const o = out.storage;
  const ix = index.storage;
  const xs = x.storage;
  forEachRow(plan, [out.offset, index.offset, x.offset], (offs) => {
    let [po, pi, px] = offs;
    for (let i = 0; i < n; i++, po += so, pi += si, px += sx) {
      const v = ix[pi];
      if (v < 0 || v >= size) throw outOfRange('gather', v, dim, size);
      o[po] = xs[px + v * step];
    }
  });
}

/**
 * In place: out[..index[..i..]..] += src[..i..] along `dim`, in row-major order of src
 * (so float rounding matches a sequential loop). Indices are all checked before any write.
 */
export function scatterAdd(out: V, dim: number, index: V, src: V): void {
  const size = out.shape[dim];
  const step = out.strides[dim];
  const oStrides = out.strides.map((s, d) => (d === dim ? 0 : s));
  const plan = planLoop(index.shape, [oStrides, index.strides, src.strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last];
  const [so, si, ss] = plan.strides.map((s) => s[last]);
  const o = out.storage;
  const ix = index.storage;
  const ss2 = src.storage;
  forEachRow(plan, [out.offset, index.offset, src.offset], (offs) => {
    let pi = offs[1];
    for (let i = 0; i < n; i++, pi += si) {
      const v = ix[pi];
      if (v < 0 || v >= size) throw outOfRange('scatterAdd', v, dim, size);
    }
  });
  const isFloat = out.dtype === 'float32' || out.dtype === 'float64';
  const conv = CAST_TO[out.dtype];
  forEachRow(plan, [out.offset, index.offset, src.offset], (offs) => {
    let [po, pi, ps] = offs;
    for (let i = 0; i < n; i++, po += so, pi += si, ps += ss) {
      const p = po + ix[pi] * step;
      // int32 wraps (the Int32Array store does it); bool accumulates as "or".
      o[p] = isFloat ? o[p] + ss2[ps] : conv((o[p] + ss2[ps]) | 0);
    }
  });
}
