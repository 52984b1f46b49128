/**
 * 2-D max and average pooling over [N,C,H,W] planes, PyTorch's rules: max pads
 * with -inf and reports flat h*W+w indices within each plane; average divides by
 * the window clipped to the padded input (countIncludePad) or to the real input.
 */
import type { Pool2dParams, View } from '@nabla/core';
import { denseCopy, sizeOf, writeDense } from '../layout';
import { CAST_TO } from '../scalar';
import type { JsStorage } from '../storage';

type V = View<JsStorage>;

interface Planes {
  planes: number;
  H: number;
  W: number;
  Ho: number;
  Wo: number;
}

function planes(xShape: readonly number[], yShape: readonly number[]): Planes {
  const [N, C, H, W] = xShape;
  return { planes: N * C, H, W, Ho: yShape[2], Wo: yShape[3] };
}

/**
 * Max over each window. Like PyTorch's CPU kernel, the index starts at the first
 * in-bounds tap, a larger value or any NaN replaces the current one (so the last
 * NaN in window order wins), and a window of only -inf reports that first tap.
 */
export function maxPool2d(out: V, indices: V, x: V, p: Pool2dParams): void {
  const { planes: P, H, W, Ho, Wo } = planes(x.shape, out.shape);
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  const xd = denseCopy(x);
  const y = new Float64Array(sizeOf(out.shape));
  const idx = new Int32Array(y.length);
  for (let pl = 0; pl < P; pl++) {
    const xBase = pl * H * W;
    for (let oh = 0; oh < Ho; oh++) {
      let h0 = oh * sh - ph;
      while (h0 < 0) h0 += dh;
      for (let ow = 0; ow < Wo; ow++) {
        let w0 = ow * sw - pw;
        while (w0 < 0) w0 += dw;
        let best = -Infinity;
        let bestIdx = h0 * W + w0;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - ph + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pw + j * dw;
            if (iw < 0 || iw >= W) continue;
            const v = xd[xBase + ih * W + iw];
            if (v > best || v !== v) {
              best = v;
              bestIdx = ih * W + iw;
            }
          }
        }
        const yi = (pl * Ho + oh) * Wo + ow;
        y[yi] = best;
        idx[yi] = bestIdx;
      }
    }
  }
  writeDense(out, y, CAST_TO[out.dtype]);
  writeDense(indices, idx, CAST_TO.int32);
}

/** Calls visit(flat input index) for each in-bounds tap of window (oh, ow) and returns the divisor. */
function window(
  pl: Planes,
  p: Pool2dParams,
  oh: number,
  ow: number,
  visit: (i: number) => void,
): number {
  const { H, W } = pl;
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [dh, dw] = p.dilation;
  let inside = 0;
  let padded = 0;
  for (let i = 0; i < kh; i++) {
    const ih = oh * sh - ph + i * dh;
    if (ih < -ph || ih >= H + ph) continue;
    for (let j = 0; j < kw; j++) {
      const iw = ow * sw - pw + j * dw;
      if (iw < -pw || iw >= W + pw) continue;
      padded++;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      inside++;
      visit(ih * W + iw);
    }
  }
  return p.countIncludePad ? padded : inside;
}

export function avgPool2d(out: V, x: V, p: Pool2dParams): void {
  const pl = planes(x.shape, out.shape);
  const xd = denseCopy(x);
  const y = new Float64Array(sizeOf(out.shape));
  for (let c = 0; c < pl.planes; c++) {
    const xBase = c * pl.H * pl.W;
    for (let oh = 0; oh < pl.Ho; oh++) {
      for (let ow = 0; ow < pl.Wo; ow++) {
        let s = 0;
        const div = window(pl, p, oh, ow, (i) => (s += xd[xBase + i]));
        y[(c * pl.Ho + oh) * pl.Wo + ow] = s / div;
      }
    }
  }
  writeDense(out, y, CAST_TO[out.dtype]);
}

/** dx: each window spreads dy / divisor over its in-bounds taps. */
export function avgPool2dBackward(out: V, dy: V, p: Pool2dParams): void {
  const pl = planes(out.shape, dy.shape);
  const dyd = denseCopy(dy);
  const dx = new Float64Array(sizeOf(out.shape));
  for (let c = 0; c < pl.planes; c++) {
    const xBase = c * pl.H * pl.W;
    for (let oh = 0; oh < pl.Ho; oh++) {
      for (let ow = 0; ow < pl.Wo; ow++) {
        // First pass counts the divisor, second spreads the gradient.
        const div = window(pl, p, oh, ow, () => {});
        const share = dyd[(c * pl.Ho + oh) * pl.Wo + ow] / div;
        window(pl, p, oh, ow, (i) => (dx[xBase + i] += share));
      }
    }
  }
  writeDense(out, dx, CAST_TO[out.dtype]);
}
