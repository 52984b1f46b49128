/**
 * 2-D cross-correlation (PyTorch's conv2d, no bias) and its two backward kernels.
 * Floats go through im2col and the blocked matmul kernel, accumulating in float64
 * and rounding once. Integer dtypes use direct loops with 32-bit wrap-around, like
 * matmul; bool is the int result != 0.
 */
import type { Conv2dParams, View } from '@nabla/core';
import { denseCopy, sizeOf, writeDense } from '../layout';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';
import { matmul } from './matmul';

type V = View<JsStorage>;

interface Geometry {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  Cg: number;
  KH: number;
  KW: number;
  Ho: number;
  Wo: number;
  Og: number;
}

function geometry(xShape: readonly number[], wShape: readonly number[], yShape: readonly number[], groups: number): Geometry {
  const [N, C, H, W] = xShape;
  const [O, Cg, KH, KW] = wShape;
  const [, , Ho, Wo] = yShape;
  return { N, C, H, W, O, Cg, KH, KW, Ho, Wo, Og: O / groups };
}

const isFloat = (v: V) => v.dtype === 'float32' || v.dtype === 'float64';

/**
 * Visits every (input pixel, weight tap, output pixel) triple of the convolution once:
 * `visit(xi, wi, yi)` with flat row-major indices into x, w and y.
 */
function forEachTap(g: Geometry, p: Conv2dParams, visit: (xi: number, wi: number, yi: number) => void): void {
  const { N, C, H, W, O, Cg, KH, KW, Ho, Wo, Og } = g;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const group = Math.floor(o / Og);
      const yBase = (n * O + o) * Ho * Wo;
      for (let c = 0; c < Cg; c++) {
        const xBase = (n * C + group * Cg + c) * H * W;
        const wBase = (o * Cg + c) * KH * KW;
        for (let ki = 0; ki < KH; ki++) {
          for (let kj = 0; kj < KW; kj++) {
            const wi = wBase + ki * KW + kj;
            for (let oh = 0; oh < Ho; oh++) {
              const ih = oh * sh - ph + ki * dh;
              if (ih < 0 || ih >= H) continue;
              const xRow = xBase + ih * W;
              const yRow = yBase + oh * Wo;
              for (let ow = 0; ow < Wo; ow++) {
                const iw = ow * sw - pw + kj * dw;
                if (iw >= 0 && iw < W) visit(xRow + iw, wi, yRow + ow);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Unfolds one image's group of channels into columns: col[(c*KH + ki)*KW + kj, oh*Wo + ow]
 * is the input under tap (ki, kj) of output pixel (oh, ow), or 0 in the padding.
 */
function im2col(xd: ArrayLike<number>, xBase: number, g: Geometry, p: Conv2dParams, col: Float64Array): void {
  const { H, W, Cg, KH, KW, Ho, Wo } = g;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const HW = Ho * Wo;
  for (let c = 0; c < Cg; c++) {
    for (let ki = 0; ki < KH; ki++) {
      for (let kj = 0; kj < KW; kj++) {
        const row = ((c * KH + ki) * KW + kj) * HW;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + ki * dh;
          const dst = row + oh * Wo;
          if (ih < 0 || ih >= H) {
            col.fill(0, dst, dst + Wo);
            continue;
          }
          const src = xBase + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + kj * dw;
            col[dst + ow] = iw >= 0 && iw < W ? xd[src + iw] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry back onto the input pixel it came from. */
function col2im(col: Float64Array, g: Geometry, p: Conv2dParams, dx: Float64Array, xBase: number): void {
  const { H, W, Cg, KH, KW, Ho, Wo } = g;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const HW = Ho * Wo;
  for (let c = 0; c < Cg; c++) {
    for (let ki = 0; ki < KH; ki++) {
      for (let kj = 0; kj < KW; kj++) {
        const row = ((c * KH + ki) * KW + kj) * HW;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - ph + ki * dh;
          if (ih < 0 || ih >= H) continue;
          const dst = xBase + (c * H + ih) * W;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pw + kj * dw;
            if (iw >= 0 && iw < W) dx[dst + iw] += col[row + oh * Wo + ow];
          }
        }
      }
    }
  }
}

/** The [rows, cols] float64 matrix stored at `offset` in `buf` (or its transpose, [cols, rows]) as a batch-1 matmul operand. */
function mat(buf: Float64Array, offset: number, rows: number, cols: number, transposed = false): View<JsStorage> {
  return transposed
    ? { storage: buf, dtype: 'float64', shape: [1, cols, rows], strides: [0, 1, cols], offset }
    : { storage: buf, dtype: 'float64', shape: [1, rows, cols], strides: [0, cols, 1], offset };
}

/** x [N,C,H,W] * w [O,C/groups,kh,kw] -> out [N,O,Ho,Wo]: per image and group, w_g [Og, CK] @ col [CK, HoWo]. */
export function conv2d(out: V, x: V, w: V, p: Conv2dParams): void {
  const g = geometry(x.shape, w.shape, out.shape, p.groups);
  if (!isFloat(x)) return conv2dInt(out, x, w, p, g);
  const { N, C, H, W, O, Og, Cg, KH, KW, Ho, Wo } = g;
  const CK = Cg * KH * KW;
  const HW = Ho * Wo;
  const xd = denseCopy(x);
  const wd = denseCopy(w) as Float64Array;
  const y = new Float64Array(N * O * HW);
  const col = new Float64Array(CK * HW);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < p.groups; gi++) {
      im2col(xd, (n * C + gi * Cg) * H * W, g, p, col);
      matmul(mat(y, (n * O + gi * Og) * HW, Og, HW), mat(wd, gi * Og * CK, Og, CK), mat(col, 0, CK, HW));
    }
  }
  writeDense(out, y, CAST_TO[out.dtype]);
}

/** dx [N,C,H,W]: per image and group, col = w_g^T [CK, Og] @ dy_g [Og, HoWo], folded back by col2im. */
export function conv2dBackwardInput(out: V, dy: V, w: V, p: Conv2dParams): void {
  const g = geometry(out.shape, w.shape, dy.shape, p.groups);
  if (!isFloat(dy)) return conv2dBackwardInputInt(out, dy, w, p, g);
  const { N, C, H, W, O, Og, Cg, KH, KW, Ho, Wo } = g;
  const CK = Cg * KH * KW;
  const HW = Ho * Wo;
  const dyd = denseCopy(dy) as Float64Array;
  const wd = denseCopy(w) as Float64Array;
  const dx = new Float64Array(N * C * H * W);
  const col = new Float64Array(CK * HW);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < p.groups; gi++) {
      matmul(mat(col, 0, CK, HW), mat(wd, gi * Og * CK, Og, CK, true), mat(dyd, (n * O + gi * Og) * HW, Og, HW));
      col2im(col, g, p, dx, (n * C + gi * Cg) * H * W);
    }
  }
  writeDense(out, dx, CAST_TO[out.dtype]);
}

/** dw [O,C/groups,kh,kw] = sum over images of dy_g [Og, HoWo] @ col^T [HoWo, CK]. */
export function conv2dBackwardWeight(out: V, x: V, dy: V, p: Conv2dParams): void {
  const g = geometry(x.shape, out.shape, dy.shape, p.groups);
  if (!isFloat(x)) return conv2dBackwardWeightInt(out, x, dy, p, g);
  const { N, C, H, W, O, Og, Cg, KH, KW, Ho, Wo } = g;
  const CK = Cg * KH * KW;
  const HW = Ho * Wo;
  const xd = denseCopy(x);
  const dyd = denseCopy(dy) as Float64Array;
  const dw = new Float64Array(O * CK);
  const part = new Float64Array(Og * CK);
  const col = new Float64Array(CK * HW);
  for (let n = 0; n < N; n++) {
    for (let gi = 0; gi < p.groups; gi++) {
      im2col(xd, (n * C + gi * Cg) * H * W, g, p, col);
      matmul(mat(part, 0, Og, CK), mat(dyd, (n * O + gi * Og) * HW, Og, HW), mat(col, 0, CK, HW, true));
      const base = gi * Og * CK;
      for (let i = 0; i < part.length; i++) dw[base + i] += part[i];
    }
  }
  writeDense(out, dw, CAST_TO[out.dtype]);
}

// ---- integer dtypes: direct loops with wrap-around ----

function conv2dInt(out: V, x: V, w: V, p: Conv2dParams, g: Geometry): void {
  const xd = denseCopy(x);
  const wd = denseCopy(w);
  const y = new Int32Array(sizeOf(out.shape));
  forEachTap(g, p, (xi, wi, yi) => (y[yi] += Math.imul(xd[xi], wd[wi])));
  writeDense(out, y, CAST_TO[out.dtype]);
}

function conv2dBackwardInputInt(out: V, dy: V, w: V, p: Conv2dParams, g: Geometry): void {
  const dyd = denseCopy(dy);
  const wd = denseCopy(w);
  const dx = new Int32Array(sizeOf(out.shape));
  forEachTap(g, p, (xi, wi, yi) => (dx[xi] += Math.imul(dyd[yi], wd[wi])));
  writeDense(out, dx, CAST_TO[out.dtype]);
}

function conv2dBackwardWeightInt(out: V, x: V, dy: V, p: Conv2dParams, g: Geometry): void {
  const xd = denseCopy(x);
  const dyd = denseCopy(dy);
  const dw = new Int32Array(sizeOf(out.shape));
  forEachTap(g, p, (xi, wi, yi) => (dw[wi] += Math.imul(xd[xi], dyd[yi])));
  writeDense(out, dw, CAST_TO[out.dtype]);
}
