/**
 * Checks every kernel call before wasm memory is touched and encodes it into the descriptor. A view
 * must name a live storage of this backend with its dtype, and offset + Σ(shape-1)·stride must stay
 * inside the storage; then the relations a kernel relies on (equal shapes, ranks, dtypes, conv/pool
 * geometry) are checked, because a kernel trusting a wrong shape would read or write another storage.
 */
import { NablaError, fmtShape, type Conv2dParams, type DType, type Pool2dParams, type View } from '@nabla/core';
import { WasmStorage } from './storage';

export const DTYPE_CODE = { float32: 0, float64: 1, int32: 2, bool: 3 } as const satisfies Record<DType, number>;
const MAX_DIMS = 16;
const I32_MAX = 2147483647;
/** Conv and pool parameters beyond this are refused (as the native addon does). */
const MAX_PARAM = 1 << 20;

const isIndex = (x: number, max: number): boolean => Number.isInteger(x) && x >= 0 && x <= max;

/** Writes one call's int32 descriptor; `pos` advances as operands are added. */
export class Encoder {
  pos = 0;
  constructor(
    public ints: Int32Array,
    private readonly owner: object,
  ) {}

  start(op: string): this {
    this.pos = 0;
    this.op = op;
    return this;
  }
  op = '';

  int(x: number): this {
    this.ints[this.pos++] = x;
    return this;
  }

  /** Validates `v` (named `name` in errors) and appends it: address, dtype, ndim, offset, shape, strides. */
  view(name: string, v: View): this {
    const op = this.op;
    const s = v.storage;
    if (!WasmStorage.is(s) || s.owner !== this.owner) throw new NablaError(op, `${name} is not a storage of this wasm backend`);
    if (s.freed) throw new NablaError(op, `${name}: storage was freed`);
    if (v.dtype !== s.dtype) throw new NablaError(op, `${name} has dtype ${v.dtype} but its storage holds ${s.dtype}`);
    const { shape, strides, offset } = v;
    const nd = shape.length;
    if (nd > MAX_DIMS || strides.length !== nd) {
      throw new NablaError(op, `${name} must have at most ${MAX_DIMS} dims and one stride per dim, got shape ${fmtShape(shape)} strides ${fmtShape(strides)}`);
    }
    if (!isIndex(offset, I32_MAX)) throw new NablaError(op, `${name} offset must be an integer in [0, ${I32_MAX}], got ${offset}`);
    let lo = offset;
    let hi = offset;
    let n = 1;
    for (let d = 0; d < nd; d++) {
      const size = shape[d];
      const stride = strides[d];
      if (!isIndex(size, I32_MAX) || !Number.isInteger(stride) || Math.abs(stride) > I32_MAX) {
        throw new NablaError(op, `${name} has an invalid shape ${fmtShape(shape)} or strides ${fmtShape(strides)}`);
      }
      n *= size;
      const ext = (size - 1) * stride;
      if (ext > 0) hi += ext;
      else lo += ext;
    }
    if (n > 0 && (lo < 0 || hi >= s.size)) {
      throw new NablaError(op, `${name} (shape ${fmtShape(shape)}, strides ${fmtShape(strides)}, offset ${offset}) reaches elements [${lo}, ${hi}] outside its storage of ${s.size} elements`);
    }
    const I = this.ints;
    let p = this.pos;
    I[p++] = s.ptr;
    I[p++] = DTYPE_CODE[s.dtype];
    I[p++] = nd;
    I[p++] = offset;
    for (let d = 0; d < nd; d++) I[p++] = shape[d];
    for (let d = 0; d < nd; d++) I[p++] = strides[d];
    this.pos = p;
    return this;
  }

  /** stride, padding, dilation (pairs), groups. */
  conv(p: Conv2dParams): this {
    const op = this.op;
    const vals = [...p.stride, ...p.padding, ...p.dilation, p.groups];
    vals.forEach((x, k) => {
      const min = k === 2 || k === 3 ? 0 : 1;
      if (!Number.isInteger(x) || x < min || x > MAX_PARAM) throw new NablaError(op, `conv parameters must be integers (stride, dilation, groups >= 1; padding >= 0), got ${JSON.stringify(p)}`);
      this.int(x);
    });
    return this;
  }

  /** kernel, stride, padding, dilation (pairs), countIncludePad. */
  pool(p: Pool2dParams): this {
    const op = this.op;
    const vals = [...p.kernel, ...p.stride, ...p.padding, ...p.dilation];
    vals.forEach((x, k) => {
      const min = k === 4 || k === 5 ? 0 : 1;
      if (!Number.isInteger(x) || x < min || x > MAX_PARAM) throw new NablaError(op, `pool parameters must be integers (padding >= 0, others >= 1), got ${JSON.stringify(p)}`);
      this.int(x);
    });
    if (p.padding[0] * 2 > p.kernel[0] || p.padding[1] * 2 > p.kernel[1]) {
      throw new NablaError(op, `padding ${fmtShape(p.padding)} must be at most half the kernel ${fmtShape(p.kernel)}`);
    }
    return this.int(p.countIncludePad ? 1 : 0);
  }
}

// ---- relations between operands ----

export function sameShape(op: string, a: View, an: string, b: View, bn: string): void {
  const x = a.shape;
  const y = b.shape;
  let eq = x.length === y.length;
  for (let i = 0; eq && i < x.length; i++) eq = x[i] === y[i];
  if (!eq) throw new NablaError(op, `${an} shape ${fmtShape(x)} does not match ${bn} shape ${fmtShape(y)}`);
}

export function wantDtype(op: string, v: View, name: string, dtype: DType): void {
  if (v.dtype !== dtype) throw new NablaError(op, `${name} must be ${dtype}, got ${v.dtype}`);
}

export function wantFloat(op: string, v: View, name: string): void {
  if (v.dtype !== 'float32' && v.dtype !== 'float64') throw new NablaError(op, `${name} must be float32 or float64, got ${v.dtype}`);
}

export function wantRank(op: string, v: View, name: string, ndim: number): void {
  if (v.shape.length !== ndim) throw new NablaError(op, `${name} must have rank ${ndim}, got shape ${fmtShape(v.shape)}`);
}

/** Row-major without gaps; size-1 dims are ignored. */
export function wantContiguous(op: string, v: View, name: string): void {
  let s = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    if (v.shape[i] === 1) continue;
    if (v.strides[i] !== s) throw new NablaError(op, `${name} must be contiguous, got shape ${fmtShape(v.shape)} strides ${fmtShape(v.strides)}`);
    s *= v.shape[i];
  }
}

/** x-like [N,C,H,W], w [O,C/g,KH,KW], y-like [N,O,Ho,Wo]: every relation the conv kernels rely on. */
export function convGeometry(op: string, x: View, w: View, y: View, p: Conv2dParams): void {
  wantRank(op, x, 'input', 4);
  wantRank(op, w, 'weight', 4);
  wantRank(op, y, 'output', 4);
  const [xs, ws, ys, g] = [x.shape, w.shape, y.shape, p.groups];
  const out = (i: number, k: number): number => {
    const span = xs[i] + 2 * p.padding[k] - p.dilation[k] * (ws[i] - 1) - 1;
    return span < 0 ? -1 : Math.floor(span / p.stride[k]) + 1;
  };
  if (xs[1] !== ws[1] * g || ws[0] % g !== 0 || ys[0] !== xs[0] || ys[1] !== ws[0] || ys[2] !== out(2, 0) || ys[3] !== out(3, 1)) {
    throw new NablaError(op, `inconsistent shapes: input ${fmtShape(xs)}, weight ${fmtShape(ws)}, output ${fmtShape(ys)} (groups ${g})`);
  }
}

/** x-like [N,C,H,W] and y-like [N,C,Ho,Wo]. */
export function poolGeometry(op: string, x: View, y: View): void {
  wantRank(op, x, 'input', 4);
  wantRank(op, y, 'output', 4);
  if (x.shape[0] !== y.shape[0] || x.shape[1] !== y.shape[1]) {
    throw new NablaError(op, `inconsistent shapes: input ${fmtShape(x.shape)}, output ${fmtShape(y.shape)}`);
  }
}

/** x has index's shape except at `dim` (gather's x, scatterAdd's out). */
export function indexGeometry(op: string, big: View, bigName: string, index: View, dim: number): void {
  const nd = Math.max(big.shape.length, 1);
  if (!Number.isInteger(dim) || dim < 0 || dim >= nd) throw new NablaError(op, `dim ${dim} out of range for rank ${big.shape.length}`);
  let ok = big.shape.length === index.shape.length;
  for (let d = 0; ok && d < index.shape.length; d++) ok = d === dim || big.shape[d] === index.shape[d];
  if (!ok) throw new NablaError(op, `index shape ${fmtShape(index.shape)} must match ${bigName} shape ${fmtShape(big.shape)} except at dim ${dim}`);
}
