/**
 * 2-D cross-correlation (PyTorch's conv2d, no bias) and its two backward kernels,
 * as direct loops over dense float64 copies. Integer dtypes accumulate with
 * 32-bit wrap-around, like matmul; bool is the int result != 0.
 */
import type { Conv2dParams, View } from '@nabla/core';
import { denseCopy, sizeOf, writeDense } from '../layout';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

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
const newAcc = (float: boolean, n: number) => (float ? new Float64Array(n) : new Int32Array(n));

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

/** x [N,C,H,W] * w [O,C/groups,kh,kw] -> out [N,O,Ho,Wo]. */
export function conv2d(out: V, x: V, w: V, p: Conv2dParams): void {
  const float = isFloat(x);
  const xd = denseCopy(x);
  const wd = denseCopy(w);
  const y = newAcc(float, sizeOf(out.shape));
  const g = geometry(x.shape, w.shape, out.shape, p.groups);
  if (float) forEachTap(g, p, (xi, wi, yi) => (y[yi] += xd[xi] * wd[wi]));
  else forEachTap(g, p, (xi, wi, yi) => (y[yi] += Math.imul(xd[xi], wd[wi])));
  writeDense(out, y, CAST_TO[out.dtype]);
}

/** dx [N,C,H,W] = sum over taps of dy * w (out's shape fixes H and W). */
export function conv2dBackwardInput(out: V, dy: V, w: V, p: Conv2dParams): void {
  const float = isFloat(dy);
  const dyd = denseCopy(dy);
  const wd = denseCopy(w);
  const dx = newAcc(float, sizeOf(out.shape));
  const g = geometry(out.shape, w.shape, dy.shape, p.groups);
  if (float) forEachTap(g, p, (xi, wi, yi) => (dx[xi] += dyd[yi] * wd[wi]));
  else forEachTap(g, p, (xi, wi, yi) => (dx[xi] += Math.imul(dyd[yi], wd[wi])));
  writeDense(out, dx, CAST_TO[out.dtype]);
}

/** dw [O,C/groups,kh,kw] = sum over batch and output pixels of x * dy. */
export function conv2dBackwardWeight(out: V, x: V, dy: V, p: Conv2dParams): void {
  const float = isFloat(x);
  const xd = denseCopy(x);
  const dyd = denseCopy(dy);
  const dw = newAcc(float, sizeOf(out.shape));
  const g = geometry(x.shape, out.shape, dy.shape, p.groups);
  if (float) forEachTap(g, p, (xi, wi, yi) => (dw[wi] += xd[xi] * dyd[yi]));
  else forEachTap(g, p, (xi, wi, yi) => (dw[wi] += Math.imul(xd[xi], dyd[yi])));
  writeDense(out, dw, CAST_TO[out.dtype]);
}
