/**
 * The vector-Jacobian products: one row per recorded op (see packages/tensor/GRAPH_OPS.md), written with
 * tensor ops so that, under createGraph, the backward pass is itself recorded and differentiable.
 * Each row gets the gradient of the node's output and returns one gradient per input (null: none).
 */
import { type Node, type Tensor, where, zeros } from '@nabla/tensor';
import { customVjp } from './function';
import { type Vjp, input, padSlice, saved, sumToShape, unreduce, wants, zdiv, zmul } from './helpers';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

type Attrs = Record<string, any>;
const attrs = (node: Node): Attrs => node.attrs as Attrs;
const shapeOf = (node: Node, i: number): number[] => [...node.inputs[i].shape];

/** A binary rule: local gradients for a and b, each summed back over broadcasting. */
function binary(da: (g: Tensor, node: Node) => Tensor, db: (g: Tensor, node: Node) => Tensor): Vjp {
  return (g, node) => [
    wants(node, 0) ? sumToShape(da(g, node), shapeOf(node, 0)) : null,
    wants(node, 1) ? sumToShape(db(g, node), shapeOf(node, 1)) : null,
  ];
}

/** Where a is picked by max/min(a, b): all of g where it wins, half at ties (as PyTorch). */
function pickHalf(g: Tensor, win: Tensor, tie: Tensor): Tensor {
  return where(win, g, where(tie, g.mul(0.5), 0));
}

const ELEMENTWISE = {
  identity: (g) => [g],
  neg: (g) => [g.neg()],
  // sign(0) = 0, so d|x|/dx = 0 at 0.
  abs: (g, n) => [g.mul(input(n, 0).sign())],
  reciprocal: (g, n) => [zmul(g, saved(n, 0).square().neg())],
  square: (g, n) => [g.mul(input(n, 0).mul(2))],
  sqrt: (g, n) => [zdiv(g, saved(n, 0).mul(2))],
  rsqrt: (g, n) => [zmul(g, saved(n, 0).pow(3).mul(-0.5))],
  exp: (g, n) => [g.mul(saved(n, 0))],
  expm1: (g, n) => [g.mul(saved(n, 0).add(1))],
  log: (g, n) => [zdiv(g, input(n, 0))],
  log1p: (g, n) => [zdiv(g, input(n, 0).add(1))],
  sin: (g, n) => [g.mul(input(n, 0).cos())],
  cos: (g, n) => [g.mul(input(n, 0).sin().neg())],
  tanh: (g, n) => [g.mul(saved(n, 0).square().neg().add(1))],
  erf: (g, n) => [g.mul(input(n, 0).square().neg().exp().mul(TWO_OVER_SQRT_PI))],
  sigmoid: (g, n) => {
    const y = saved(n, 0);
    return [g.mul(y.mul(y.neg().add(1)))];
  },
  // relu'(0) = 0: only strictly positive inputs pass the gradient.
  relu: (g, n) => [where(input(n, 0).gt(0), g, 0)],
  // exact gelu x·Φ(x): d/dx = Φ(x) + x·φ(x)
  gelu: (g, n) => {
    const x = input(n, 0);
    const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
    const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
    return [g.mul(cdf.add(x.mul(pdf)))];
  },
  softplus: (g, n) => [g.mul(input(n, 0).sigmoid())],
  add: binary((g) => g, (g) => g),
  sub: binary((g) => g, (g) => g.neg()),
  mul: binary((g, n) => g.mul(input(n, 1)), (g, n) => g.mul(input(n, 0))),
  div: binary(
    (g, n) => zdiv(g, input(n, 1)),
    (g, n) => zmul(g, input(n, 0).div(input(n, 1).square()).neg()),
  ),
  // d(a^b)/da = b·a^(b-1) (0 where b = 0, as PyTorch); d(a^b)/db = a^b·log(a) (0 where a = 0 and b >= 0).
  pow: binary(
    (g, n) => {
      const b = input(n, 1);
      return zmul(g, where(b.eq(0), 0, b.mul(input(n, 0).pow(b.sub(1)))));
    },
    (g, n) => {
      const a = input(n, 0);
      const b = input(n, 1);
      return zmul(g, where(a.eq(0).logicalAnd(b.ge(0)), 0, a.pow(b).mul(a.log())));
    },
  ),
  maximum: binary(
    (g, n) => pickHalf(g, input(n, 0).gt(input(n, 1)), input(n, 0).eq(input(n, 1))),
    (g, n) => pickHalf(g, input(n, 1).gt(input(n, 0)), input(n, 0).eq(input(n, 1))),
  ),
  minimum: binary(
    (g, n) => pickHalf(g, input(n, 0).lt(input(n, 1)), input(n, 0).eq(input(n, 1))),
    (g, n) => pickHalf(g, input(n, 1).lt(input(n, 0)), input(n, 0).eq(input(n, 1))),
  ),
  // remainder a - b·floor(a/b)
  mod: binary((g) => g, (g, n) => g.mul(input(n, 0).div(input(n, 1)).floor().neg())),
  where: (g, n) => [
    null,
    wants(n, 1) ? sumToShape(where(input(n, 0), g, 0), shapeOf(n, 1)) : null,
    wants(n, 2) ? sumToShape(where(input(n, 0), 0, g), shapeOf(n, 2)) : null,
  ],
  // gradient 1 inside the closed interval [min, max], as PyTorch
  clamp: (g, n) => {
    const { min, max } = attrs(n);
    const x = input(n, 0);
    let out = g;
    if (min !== undefined) out = where(x.lt(min), 0, out);
    if (max !== undefined) out = where(x.gt(max), 0, out);
    return [out];
  },
  cast: (g, n) => [g.to(attrs(n).from)],
  custom: customVjp,
} satisfies Record<string, Vjp>;

const VIEWS = {
  reshape: (g, n) => [g.reshape(attrs(n).inputShape)],
  contiguous: (g) => [g],
  permute: (g, n) => {
    const dims: number[] = attrs(n).dims;
    const inv = new Array<number>(dims.length);
    dims.forEach((d, i) => (inv[d] = i));
    return [g.permute(inv)];
  },
  expand: (g, n) => [sumToShape(g, attrs(n).inputShape)],
  slice: (g, n) => {
    const { dim, start, step, inputShape } = attrs(n);
    return [padSlice(g, inputShape, dim, start, step)];
  },
  select: (g, n) => {
    const { dim, index, inputShape } = attrs(n);
    return [padSlice(g.unsqueeze(dim), inputShape, dim, index, 1)];
  },
} satisfies Record<string, Vjp>;

/** The reduced gradient (or output) reshaped so that it broadcasts against the input. */
function keep(t: Tensor, n: Node): Tensor {
  const { dims, keepdim, inputShape } = attrs(n);
  if (keepdim) return t;
  return t.reshape((inputShape as number[]).map((d, i) => ((dims as number[]).includes(i) ? 1 : d)));
}

/** amax/amin: the gradient is shared evenly among the elements equal to the extreme (as PyTorch). */
const evenly: Vjp = (g, n) => {
  const mask = input(n, 0).eq(keep(saved(n, 0), n));
  const count = mask.sum(attrs(n).dims, { keepdim: true });
  return [where(mask, keep(g, n).div(count), 0)];
};

/** max(dim)/min(dim): the gradient goes to the selected index only (as PyTorch). */
const toIndex: Vjp = (g, n) => {
  const { dim, keepdim, inputShape } = attrs(n);
  if (inputShape.length === 0) return [g];
  const idx = keepdim ? saved(n, 0) : saved(n, 0).unsqueeze(dim);
  const gk = keepdim ? g : g.unsqueeze(dim);
  return [zeros(inputShape, { dtype: g.dtype }).scatterAdd(dim, idx, gk)];
};

const REDUCTIONS = {
  sum: (g, n) => [unreduce(g, attrs(n).inputShape, attrs(n).dims, attrs(n).keepdim)],
  // The product of the others, without dividing by zero: with one zero only that element gets a gradient.
  prod: (g, n) => {
    const x = input(n, 0);
    const { dims, inputShape } = attrs(n);
    const isZero = x.eq(0);
    const zerosIn = isZero.sum(dims, { keepdim: true });
    const nonzeroProd = where(isZero, 1, x).prod(dims, { keepdim: true });
    const others = where(isZero, where(zerosIn.eq(1), nonzeroProd, 0), where(zerosIn.eq(0), nonzeroProd.div(where(isZero, 1, x)), 0));
    return [keep(g, n).expand(inputShape).mul(others)];
  },
  amax: evenly,
  amin: evenly,
  max: toIndex,
  min: toIndex,
  logSumExp: (g, n) => [keep(g, n).mul(input(n, 0).sub(keep(saved(n, 0), n)).exp())],
  softmax: (g, n) => {
    const y = saved(n, 0);
    const dim: number = attrs(n).dim;
    return [y.mul(g.sub(g.mul(y).sum(dim, { keepdim: true })))];
  },
  logSoftmax: (g, n) => {
    const dim: number = attrs(n).dim;
    return [g.sub(saved(n, 0).exp().mul(g.sum(dim, { keepdim: true })))];
  },
} satisfies Record<string, Vjp>;

/** Zero-pads `t` at the end of every dim up to `shape` (scatterAdd's src may be larger than its index). */
function padTo(t: Tensor, shape: readonly number[]): Tensor {
  let out = t;
  shape.forEach((size, d) => {
    if (out.shape[d] !== size) {
      const s = [...out.shape];
      s[d] = size;
      out = padSlice(out, s, d, 0, 1);
    }
  });
  return out;
}

const LINALG_AND_INDEXING = {
  // a [..,M,K] @ b [..,K,N] (1-D operands were reshaped by recorded nodes); batch dims summed back.
  matmul: (g, n) => [
    wants(n, 0) ? sumToShape(g.matmul(input(n, 1).transpose(-1, -2)), shapeOf(n, 0)) : null,
    wants(n, 1) ? sumToShape(input(n, 0).transpose(-1, -2).matmul(g), shapeOf(n, 1)) : null,
  ],
  // y = act(x wᵀ + b); x [..., in] is folded to [M, in]. dw = gᵀ x comes out in w's own [out, in] layout.
  linear: (g, n) => {
    const [out, inF] = shapeOf(n, 1);
    // relu'(0) = 0; the output is positive exactly where the pre-activation was.
    const gz = attrs(n).activation === 'relu' ? where(saved(n, 0).gt(0), g, 0) : g;
    const g2 = gz.ndim === 2 ? gz : gz.reshape([-1, out]);
    const x2 = (): Tensor => {
      const x = input(n, 0);
      return x.ndim === 2 ? x : x.reshape([-1, inF]);
    };
    return [
      wants(n, 0) ? g2.matmul(input(n, 1)).reshape(shapeOf(n, 0)) : null,
      wants(n, 1) ? g2.t().matmul(x2()) : null,
      wants(n, 2) ? g2.sum(0) : null,
    ];
  },
  cat: (g, n) => {
    const { dim, sizes } = attrs(n);
    let off = 0;
    return (sizes as number[]).map((s, i) => {
      const part = wants(n, i) ? g.narrow(dim, off, s) : null;
      off += s;
      return part;
    });
  },
  gather: (g, n) => {
    const { dim, inputShape } = attrs(n);
    return [zeros(inputShape, { dtype: g.dtype }).scatterAdd(dim, input(n, 1), g), null];
  },
  scatterAdd: (g, n) => {
    const dim: number = attrs(n).dim;
    return [wants(n, 0) ? g : null, null, wants(n, 2) ? padTo(g.gather(dim, input(n, 1)), shapeOf(n, 2)) : null];
  },
  indexSelect: (g, n) => {
    const { dim, inputShape } = attrs(n);
    if (inputShape.length === 0) return [g.reshape([]), null];
    // the 1-D index seen with g's shape, so one scatterAdd adds every selected slice back
    const view = g.shape.map((_, i) => (i === dim ? g.shape[i] : 1));
    const idx = input(n, 1).reshape(view).expand([...g.shape]);
    return [zeros(inputShape, { dtype: g.dtype }).scatterAdd(dim, idx, g), null];
  },
} satisfies Record<string, Vjp>;

/** The one table: op name -> vjp. */
export const VJP: Record<string, Vjp> = { ...ELEMENTWISE, ...VIEWS, ...REDUCTIONS, ...LINALG_AND_INDEXING };
