/** Shared pieces of the vjp rules: reading what a node saved, summing broadcasts back, safe products. */
import { NablaError, fmtShape, shapesEqual } from '@nabla/core';
import { type Node, type Tensor, cat, where, zeros } from '@nabla/tensor';

export type Grads = (Tensor | null)[];
export type Vjp = (g: Tensor, node: Node) => Grads;

function checkVersion(node: Node, t: Tensor, saved: number): Tensor {
  if (t.version !== saved) {
    const name = typeof node.attrs.name === 'string' ? node.attrs.name : node.op;
    throw new NablaError('backward', `a tensor saved for backward was modified in place (op ${name}, version ${saved} → ${t.version})`);
  }
  return t;
}

/** The i-th input's values, checked to be unmodified since the op ran (shape-only uses need no check). */
export function input(node: Node, i: number): Tensor {
  return checkVersion(node, node.inputs[i], node.savedVersions[node.saved.length + i]);
}

/** The i-th saved tensor, checked to be unmodified since the op ran. */
export function saved(node: Node, i: number): Tensor {
  return checkVersion(node, node.saved[i], node.savedVersions[i]);
}

/** Checks every saved tensor at once (custom functions, whose backward may read any of them). */
export function checkAllSaved(node: Node): void {
  for (let i = 0; i < node.saved.length; i++) saved(node, i);
}

/** Whether input i wants a gradient (so a rule can skip an expensive product). */
export function wants(node: Node, i: number): boolean {
  return node.inputs[i]?.requiresGrad === true;
}

/** Sums a broadcast gradient back to `shape`: over the leading dims, then over dims that were 1. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new NablaError('backward', `cannot sum a gradient of shape ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length > 0 ? g.sum(dims, { keepdim: true }) : g;
  return lead > 0 || !shapesEqual(s.shape, shape) ? s.reshape([...shape]) : s;
}

/**
 * g * d where a zero gradient wins: 0 even where d is inf or NaN. Rules whose local derivative can blow
 * up (sqrt, log, div, pow, ...) use it, so where(x > 0, sqrt(x), 0) has gradient 0 (not NaN) at x <= 0.
 * PyTorch gives NaN there; this is a deliberate deviation (see the README).
 */
export function zmul(g: Tensor, d: Tensor): Tensor {
  return where(g.eq(0), 0, g.mul(d));
}

/** g / d with the same zero-wins rule. */
export function zdiv(g: Tensor, d: Tensor): Tensor {
  return where(g.eq(0), 0, g.div(d));
}

/** A reduced gradient seen with the input's shape again: reinsert the reduced dims, then expand. */
export function unreduce(g: Tensor, inputShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  const kept = inputShape.map((d, i) => (dims.includes(i) ? 1 : d));
  const r = keepdim || shapesEqual(g.shape, kept) ? g : g.reshape(kept);
  return r.expand([...inputShape]);
}

/**
 * The gradient of a strided slice: g placed at start, start+step, ... along `dim` of a zero tensor of
 * `shape`. Built from stack/reshape/cat so that it is itself differentiable (for createGraph).
 */
export function padSlice(g: Tensor, shape: readonly number[], dim: number, start: number, step: number): Tensor {
  const size = shape[dim];
  let body = g;
  const len = g.shape[dim];
  if (step > 1 && len > 0) {
    // interleave step-1 zero rows after each row: [.., len, ..] -> [.., len, step, ..] -> [.., len*step, ..]
    const z = zeros([...g.shape.slice(0, dim + 1), step - 1, ...g.shape.slice(dim + 1)], { dtype: g.dtype });
    const inter = cat([g.unsqueeze(dim + 1), z], dim + 1);
    const flat = [...g.shape];
    flat[dim] = len * step;
    body = inter.reshape(flat).narrow(dim, 0, Math.min(len * step, size - start));
  }
  const after = size - start - body.shape[dim];
  const parts: Tensor[] = [];
  const zerosAlong = (n: number): Tensor => {
    const s = [...shape];
    s[dim] = n;
    return zeros(s, { dtype: g.dtype });
  };
  if (start > 0) parts.push(zerosAlong(start));
  parts.push(body);
  if (after > 0) parts.push(zerosAlong(after));
  return parts.length === 1 ? body : cat(parts, dim);
}
