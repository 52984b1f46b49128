/**
 * Tensor-level conv2d and pooling (NCHW), as custom autograd functions over
 * the backend's conv/pool kernels. They live here until @nabla/tensor grows
 * them; the backward of maxPool2d is a scatter-add written with tensor ops. Every
 * backward is itself differentiable, so gradients of gradients work.
 */
import { NablaError, fmtShape, type Conv2dParams, type Pool2dParams } from '@nabla/core';
import { emptyOn, fromHost, isGradEnabled, releaseIntermediate, type Tensor } from '@nabla/tensor';
import { defineFunction } from '@nabla/autograd';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  readonly stride?: Pair;
  readonly padding?: Pair;
  readonly dilation?: Pair;
  readonly groups?: number;
}

export interface Pool2dOptions {
  readonly kernelSize: Pair;
  /** Defaults to kernelSize, as in PyTorch. */
  readonly stride?: Pair | null;
  readonly padding?: Pair;
  readonly dilation?: Pair;
}

export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Divide by the whole window even where it covers padding (default true, as PyTorch). */
  readonly countIncludePad?: boolean;
}

function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new NablaError(op, `${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

function outSize(op: string, x: Tensor, size: number, k: number, s: number, p: number, d: number, axis: string): number {
  const o = Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
  if (o < 1) {
    throw new NablaError(op, `input ${fmtShape(x.shape)} is too small: ${axis} ${size} with padding ${p} gives no output for kernel ${k} dilation ${d}`);
  }
  return o;
}

function check4d(op: string, x: Tensor): void {
  if (x.ndim !== 4) throw new NablaError(op, `expected a 4-D input [N,C,H,W], got ${fmtShape(x.shape)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new NablaError(op, `expected a floating input, got ${x.dtype}`);
}

/** A zero-filled contiguous tensor on x's backend (for the backward kernels). */
function empty(like: Tensor, shape: readonly number[]): Tensor {
  return fromHost(like.backend, like.dtype, shape, []);
}

/** An output the forward kernel writes in full: no zero-fill, and released storage of that size is reused. */
function output(like: Tensor, shape: readonly number[], dtype = like.dtype): Tensor {
  return emptyOn(like.backend, dtype, shape);
}

// The conv kernel and its two backward kernels are linear in each argument, and each one's adjoint
// is another of the three, so their backward rules call each other: gradients of any order work.
const conv2dRaw: (x: Tensor, w: Tensor, p: Conv2dParams) => Tensor = defineFunction({
  name: 'conv2d',
  forward(ctx, x: Tensor, w: Tensor, p: Conv2dParams) {
    const [N, , H, W] = x.shape;
    const [O, , KH, KW] = w.shape;
    const Ho = outSize('conv2d', x, H, KH, p.stride[0], p.padding[0], p.dilation[0], 'height');
    const Wo = outSize('conv2d', x, W, KW, p.stride[1], p.padding[1], p.dilation[1], 'width');
    const out = output(x, [N, O, Ho, Wo]);
    x.backend.kernels.conv2d(out, x, w, p);
    ctx.save(x, w);
    ctx.p = p;
    return out;
  },
  backward(ctx, dy): (Tensor | null)[] {
    const [x, w] = ctx.saved;
    const p = ctx.p as Conv2dParams;
    return [
      ctx.needsInputGrad[0] ? conv2dInputGrad(dy, w, p, x.shape) : null,
      ctx.needsInputGrad[1] ? conv2dWeightGrad(x, dy, p, w.shape) : null,
      null,
    ];
  },
});

/** dx of conv2d: the transposed convolution of dy with w. */
const conv2dInputGrad: (dy: Tensor, w: Tensor, p: Conv2dParams, xShape: readonly number[]) => Tensor = defineFunction({
  name: 'conv2dBackwardInput',
  forward(ctx, dy: Tensor, w: Tensor, p: Conv2dParams, xShape: readonly number[]) {
    const dx = empty(dy, xShape);
    dy.backend.kernels.conv2dBackwardInput(dx, dy, w, p);
    ctx.save(dy, w);
    ctx.p = p;
    return dx;
  },
  backward(ctx, g): (Tensor | null)[] {
    const [dy, w] = ctx.saved;
    const p = ctx.p as Conv2dParams;
    return [
      ctx.needsInputGrad[0] ? conv2dRaw(g, w, p) : null,
      ctx.needsInputGrad[1] ? conv2dWeightGrad(g, dy, p, w.shape) : null,
      null,
      null,
    ];
  },
});

/** dw of conv2d: the correlation of x with dy. */
const conv2dWeightGrad: (x: Tensor, dy: Tensor, p: Conv2dParams, wShape: readonly number[]) => Tensor = defineFunction({
  name: 'conv2dBackwardWeight',
  forward(ctx, x: Tensor, dy: Tensor, p: Conv2dParams, wShape: readonly number[]) {
    const dw = empty(x, wShape);
    x.backend.kernels.conv2dBackwardWeight(dw, x, dy, p);
    ctx.save(x, dy);
    ctx.p = p;
    return dw;
  },
  backward(ctx, g): (Tensor | null)[] {
    const [x, dy] = ctx.saved;
    const p = ctx.p as Conv2dParams;
    return [
      ctx.needsInputGrad[0] ? conv2dInputGrad(dy, g, p, x.shape) : null,
      ctx.needsInputGrad[1] ? conv2dRaw(x, g, p) : null,
      null,
      null,
    ];
  },
});

/**
 * 2-D cross-correlation of x [N,C,H,W] with w [O,C/groups,kh,kw] plus an optional bias [O] (torch's conv2d).
 * @example
 * conv2d(randn([1, 3, 8, 8]), randn([4, 3, 3, 3]), null, { padding: 1 }).shape; // [1, 4, 8, 8]
 */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  check4d('conv2d', x);
  if (w.ndim !== 4) throw new NablaError('conv2d', `expected a 4-D weight [O,C/groups,kh,kw], got ${fmtShape(w.shape)}`);
  if (w.dtype !== x.dtype) throw new NablaError('conv2d', `input and weight dtypes differ: x=${x.dtype} w=${w.dtype}`);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new NablaError('conv2d', `groups must be a positive integer, got ${groups}`);
  const C = x.shape[1];
  const O = w.shape[0];
  if (C % groups !== 0 || O % groups !== 0) {
    throw new NablaError('conv2d', `in channels ${C} and out channels ${O} must be divisible by groups ${groups}`);
  }
  if (w.shape[1] * groups !== C) {
    throw new NablaError('conv2d', `weight ${fmtShape(w.shape)} expects ${w.shape[1] * groups} input channels (groups=${groups}), got x=${fmtShape(x.shape)}`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new NablaError('conv2d', `bias must have shape [${O}], got ${fmtShape(bias.shape)}`);
  }
  const p: Conv2dParams = {
    stride: pair('conv2d', 'stride', o.stride ?? 1, 1),
    padding: pair('conv2d', 'padding', o.padding ?? 0, 0),
    dilation: pair('conv2d', 'dilation', o.dilation ?? 1, 1),
    groups,
  };
  const y = conv2dRaw(x, w, p);
  if (bias === null) return y;
  const out = y.add(bias.reshape([1, O, 1, 1]));
  releaseIntermediate(y, out);
  return out;
}

function poolParams(op: string, x: Tensor, o: Pool2dOptions, countIncludePad: boolean): { p: Pool2dParams; out: number[] } {
  check4d(op, x);
  const kernel = pair(op, 'kernelSize', o.kernelSize, 1);
  const stride = pair(op, 'stride', o.stride ?? kernel, 1);
  const padding = pair(op, 'padding', o.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', o.dilation ?? 1, 1);
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
    throw new NablaError(op, `padding should be at most half the kernel size, got padding ${fmtShape(padding)} kernel ${fmtShape(kernel)}`);
  }
  const [N, C, H, W] = x.shape;
  const Ho = outSize(op, x, H, kernel[0], stride[0], padding[0], dilation[0], 'height');
  const Wo = outSize(op, x, W, kernel[1], stride[1], padding[1], dilation[1], 'width');
  return { p: { kernel, stride, padding, dilation, countIncludePad }, out: [N, C, Ho, Wo] };
}

const maxPool2dRaw = defineFunction({
  name: 'maxPool2d',
  forward(ctx, x: Tensor, p: Pool2dParams, shape: number[]) {
    const out = output(x, shape);
    const indices = output(x, shape, 'int32');
    x.backend.kernels.maxPool2d(out, indices, x, p);
    ctx.save(indices);
    ctx.inShape = x.shape;
    return out;
  },
  backward(ctx, dy) {
    // Each output's gradient goes to the input position that won (PyTorch's flat h*W+w index per plane).
    const [indices] = ctx.saved;
    const [N, C, H, W] = ctx.inShape as number[];
    const flatIdx = indices.reshape([N, C, -1]);
    const src = dy.reshape([N, C, -1]);
    if (!isGradEnabled()) {
      // Nothing records this backward: scatter straight into the zeroed gradient, without the copy scatterAdd makes.
      const dx = empty(dy, [N, C, H * W]);
      dy.backend.kernels.scatterAdd(dx, 2, flatIdx, src);
      flatIdx.dispose();
      if (src !== dy) src.dispose();
      const out = dx.reshape([N, C, H, W]);
      dx.dispose(); // the 4-D view keeps the storage
      return [out, null, null];
    }
    const dx = empty(dy, [N, C, H * W]).scatterAdd(2, flatIdx, src);
    return [dx.reshape([N, C, H, W]), null, null];
  },
});

/** Max over sliding windows of x [N,C,H,W] (padding counts as -∞). */
export function maxPool2d(x: Tensor, o: Pool2dOptions): Tensor {
  const { p, out } = poolParams('maxPool2d', x, o, true);
  return maxPool2dRaw(x, p, out);
}

// avgPool2d and its backward kernel are linear and adjoint to each other (as conv2d's kernels are).
const avgPool2dRaw: (x: Tensor, p: Pool2dParams, shape: readonly number[]) => Tensor = defineFunction({
  name: 'avgPool2d',
  forward(ctx, x: Tensor, p: Pool2dParams, shape: readonly number[]) {
    const out = output(x, shape);
    x.backend.kernels.avgPool2d(out, x, p);
    ctx.p = p;
    ctx.inShape = x.shape;
    return out;
  },
  backward(ctx, dy): (Tensor | null)[] {
    return [avgPool2dGrad(dy, ctx.p as Pool2dParams, ctx.inShape as number[]), null, null];
  },
});

const avgPool2dGrad: (dy: Tensor, p: Pool2dParams, inShape: readonly number[]) => Tensor = defineFunction({
  name: 'avgPool2dBackward',
  forward(ctx, dy: Tensor, p: Pool2dParams, inShape: readonly number[]) {
    const dx = empty(dy, inShape);
    dy.backend.kernels.avgPool2dBackward(dx, dy.contiguous(), p);
    ctx.p = p;
    ctx.outShape = dy.shape;
    return dx;
  },
  backward(ctx, g): (Tensor | null)[] {
    return [avgPool2dRaw(g, ctx.p as Pool2dParams, ctx.outShape as number[]), null, null];
  },
});

/** Mean over sliding windows of x [N,C,H,W]. */
export function avgPool2d(x: Tensor, o: AvgPool2dOptions): Tensor {
  const { p, out } = poolParams('avgPool2d', x, { ...o, dilation: 1 }, o.countIncludePad ?? true);
  return avgPool2dRaw(x, p, out);
}
