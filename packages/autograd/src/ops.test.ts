/** gradcheck (float64, central differences) on every differentiable op of @nabla/tensor, first and second order. */
import { describe, expect, it } from 'vitest';
import * as T from '@nabla/tensor';
import type { Tensor } from '@nabla/tensor';
import { grad, gradcheck } from './index';

/** Deterministic float64 leaf of `shape` with values spread over about [lo, hi], no two equal. */
function leaf(shape: number[], lo = -2, hi = 2, seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, (_, i) => {
    const u = (Math.sin(12.9898 * (i + 1) * seed + 78.233 * seed) * 43758.5453) % 1;
    return lo + (hi - lo) * Math.abs(u);
  });
  return T.tensor(data, { dtype: 'float64', shape, requiresGrad: true });
}

/** A non-contiguous leaf: the transpose of a fresh [b, a] tensor, detached so it is a leaf itself. */
function transposedLeaf(a: number, b: number, lo = -2, hi = 2): Tensor {
  return leaf([b, a], lo, hi, 7).detach().transpose(0, 1).requiresGrad_(true);
}

const idx = (data: number[] | number[][], shape?: number[]): Tensor => T.tensor(data, { dtype: 'int32', ...(shape ? { shape } : {}) });

type Case = [name: string, fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: () => Tensor[]];

const pos = (s: number[]) => () => [leaf(s, 0.3, 2.5)];
const any = (s: number[]) => () => [leaf(s)];

/** One-input elementwise ops, at points away from their kinks. */
const UNARY: Case[] = [
  ['neg', (x) => x.neg(), any([3, 4])],
  ['abs', (x) => x.abs(), any([3, 4])],
  ['reciprocal', (x) => x.reciprocal(), pos([3, 4])],
  ['square', (x) => x.square(), any([3, 4])],
  ['sqrt', (x) => x.sqrt(), pos([3, 4])],
  ['rsqrt', (x) => x.rsqrt(), pos([3, 4])],
  ['exp', (x) => x.exp(), any([3, 4])],
  ['expm1', (x) => x.expm1(), any([3, 4])],
  ['log', (x) => x.log(), pos([3, 4])],
  ['log1p', (x) => x.log1p(), pos([3, 4])],
  ['sin', (x) => x.sin(), any([3, 4])],
  ['cos', (x) => x.cos(), any([3, 4])],
  ['tanh', (x) => x.tanh(), any([3, 4])],
  ['erf', (x) => x.erf(), any([3, 4])],
  ['sigmoid', (x) => x.sigmoid(), any([3, 4])],
  ['logSigmoid', (x) => x.logSigmoid(), any([3, 4])],
  ['relu', (x) => x.relu(), any([3, 4])],
  ['leakyRelu', (x) => x.leakyRelu(0.1), any([3, 4])],
  ['gelu', (x) => x.gelu(), any([3, 4])],
  ['softplus', (x) => x.softplus(), () => [leaf([3, 4], -25, 25)]],
  ['clamp', (x) => x.clamp(-1, 1), any([3, 4])],
  ['clamp min only', (x) => x.clamp(0.5), any([3, 4])],
  ['pow scalar', (x) => x.pow(3), any([3, 4])],
  ['pow fractional', (x) => x.pow(1.5), pos([3, 4])],
  ['sqrt non-contiguous', (x) => x.sqrt(), () => [transposedLeaf(3, 4, 0.5, 2)]],
  ['exp of a strided slice', (x) => x.slice(1, 0, 4, 2).exp(), any([3, 4])],
];

const BINARY: Case[] = [
  ['add broadcast', (a, b) => a.add(b), () => [leaf([3, 1]), leaf([4], -2, 2, 2)]],
  ['sub broadcast', (a, b) => a.sub(b), () => [leaf([2, 3, 4]), leaf([3, 1], -2, 2, 2)]],
  ['mul broadcast', (a, b) => a.mul(b), () => [leaf([3, 4]), leaf([1, 4], -2, 2, 2)]],
  ['mul by scalar', (a) => a.mul(2.5), any([3])],
  ['div broadcast', (a, b) => a.div(b), () => [leaf([3, 4]), leaf([4], 0.5, 2, 2)]],
  ['rdiv scalar', (a) => T.tensor(1, { dtype: 'float64' }).div(a), pos([4])],
  ['pow tensor exponent', (a, b) => a.pow(b), () => [leaf([3, 4], 0.5, 2), leaf([4], -1.5, 1.5, 2)]],
  ['maximum', (a, b) => a.maximum(b), () => [leaf([3, 4]), leaf([3, 4], -2, 2, 3)]],
  ['minimum broadcast', (a, b) => a.minimum(b), () => [leaf([3, 4]), leaf([4], -2, 2, 3)]],
  ['mod', (a, b) => a.remainder(b), () => [leaf([3, 4], 0.1, 0.9), leaf([4], 1.1, 2, 2)]],
  ['where', (a, b) => T.where(a.gt(0), a, b), () => [leaf([3, 4]), leaf([4], -2, 2, 2)]],
  ['clamp tensor bounds', (x, lo, hi) => x.clamp(lo, hi), () => [leaf([3, 4]), leaf([4], -1.5, -0.5, 2), leaf([3, 1], 0.5, 1.5, 3)]],
  ['non-contiguous mul', (a, b) => a.mul(b), () => [transposedLeaf(3, 4), leaf([3, 4], -2, 2, 5)]],
];

const REDUCTIONS: Case[] = [
  ['sum all', (x) => x.sum(), any([3, 4])],
  ['sum dim keepdim', (x) => x.sum(1, { keepdim: true }), any([3, 4])],
  ['sum dims', (x) => x.sum([0, 2]), any([2, 3, 4])],
  ['mean', (x) => x.mean(-1), any([3, 4])],
  ['prod', (x) => x.prod(1), any([3, 4])],
  ['prod with one zero', (x) => x.prod(), () => [T.tensor([1.5, 0, -2, 0.5], { dtype: 'float64', requiresGrad: true })]],
  ['prod with two zeros', (x) => x.prod(0), () => [T.tensor([[1.5, 0], [0, 2], [0, 3]], { dtype: 'float64', requiresGrad: true })]],
  ['max dim', (x) => x.max(1), any([3, 4])],
  ['min dim keepdim', (x) => x.min(0, { keepdim: true }), any([3, 4])],
  ['max all', (x) => x.max(), any([3, 4])],
  ['amax dims', (x) => x.amax([0, 2]), any([2, 3, 4])],
  ['amin', (x) => x.amin(-1, { keepdim: true }), any([3, 4])],
  ['var', (x) => x.var(1), any([3, 4])],
  ['var correction 0 all', (x) => x.var(undefined, { correction: 0 }), any([3, 4])],
  ['std', (x) => x.std(0, { keepdim: true }), any([3, 4])],
  ['logSumExp', (x) => x.logSumExp(1), any([3, 4])],
  ['logSumExp all', (x) => x.logSumExp(), any([3, 4])],
  ['softmax', (x) => x.softmax(-1), any([3, 4])],
  ['softmax dim 0', (x) => x.softmax(0), any([3, 4])],
  ['logSoftmax', (x) => x.logSoftmax(1), any([3, 4])],
  ['softmax non-contiguous', (x) => x.softmax(-1), () => [transposedLeaf(3, 4)]],
];

const LINALG: Case[] = [
  ['matmul 2-D', (a, b) => a.matmul(b), () => [leaf([3, 4]), leaf([4, 2], -2, 2, 2)]],
  ['matmul 1-D·1-D', (a, b) => a.matmul(b), () => [leaf([4]), leaf([4], -2, 2, 2)]],
  ['matmul 1-D·2-D', (a, b) => a.matmul(b), () => [leaf([4]), leaf([4, 3], -2, 2, 2)]],
  ['matmul 2-D·1-D', (a, b) => a.matmul(b), () => [leaf([3, 4]), leaf([4], -2, 2, 2)]],
  ['matmul batched broadcast', (a, b) => a.matmul(b), () => [leaf([2, 1, 3, 4]), leaf([3, 4, 2], -2, 2, 2)]],
  ['matmul batched · 1-D', (a, b) => a.matmul(b), () => [leaf([2, 3, 4]), leaf([4], -2, 2, 2)]],
  ['matmul transposed operand', (a, b) => a.matmul(b), () => [transposedLeaf(3, 4), leaf([4, 2], -2, 2, 2)]],
  ['linear with bias', (x, w, b) => T.linear(x, w, b), () => [leaf([3, 4]), leaf([2, 4], -2, 2, 2), leaf([2], -1, 1, 3)]],
  ['linear + relu, no bias', (x, w) => T.linear(x, w, null, { activation: 'relu' }), () => [leaf([3, 4]), leaf([5, 4], -2, 2, 2)]],
  ['linear + relu, 3-D input', (x, w, b) => T.linear(x, w, b, { activation: 'relu' }), () => [leaf([2, 3, 4]), leaf([2, 4], -2, 2, 2), leaf([2], -1, 1, 3)]],
  ['linear, 1-D input', (x, w, b) => T.linear(x, w, b), () => [leaf([4]), leaf([3, 4], -2, 2, 2), leaf([3], -1, 1, 3)]],
  ['linear, transposed weight', (x, w) => T.linear(x, w), () => [leaf([3, 4]), transposedLeaf(2, 4)]],
  ['linear, input whose rows do not merge', (x, w) => T.linear(x.transpose(0, 1), w), () => [leaf([3, 2, 4]), leaf([2, 4], -2, 2, 2)]],
  ['mm', (a, b) => T.mm(a, b), () => [leaf([2, 3]), leaf([3, 2], -2, 2, 2)]],
  ['dot', (a, b) => T.dot(a, b), () => [leaf([5]), leaf([5], -2, 2, 2)]],
];

const VIEWS: Case[] = [
  ['reshape', (x) => x.reshape([4, -1]), any([2, 3, 2])],
  ['reshape non-contiguous (copies)', (x) => x.reshape([12]), () => [transposedLeaf(3, 4)]],
  ['view', (x) => x.view([6, 2]), any([3, 4])],
  ['flatten', (x) => x.flatten(1), any([2, 3, 2])],
  ['squeeze', (x) => x.squeeze(), any([3, 1, 4])],
  ['unsqueeze', (x) => x.unsqueeze(1), any([3, 4])],
  ['transpose', (x) => x.transpose(0, 2), any([2, 3, 4])],
  ['permute', (x) => x.permute([2, 0, 1]), any([2, 3, 4])],
  ['t', (x) => x.t(), any([3, 4])],
  ['expand', (x) => x.expand([2, 3, 4]), any([3, 1])],
  ['broadcastTo', (x) => x.broadcastTo([3, 4]), any([4])],
  ['narrow', (x) => x.narrow(1, 1, 2), any([3, 4])],
  ['select', (x) => x.select(0, -1), any([3, 4])],
  ['slice with step', (x) => x.slice(1, 1, undefined, 2), any([3, 5])],
  ['slice negative', (x) => x.slice(0, -2), any([3, 4])],
  ['contiguous', (x) => x.contiguous(), () => [transposedLeaf(3, 4)]],
];

const JOIN: Case[] = [
  ['cat', (a, b) => T.cat([a, b], 1), () => [leaf([2, 3]), leaf([2, 2], -2, 2, 2)]],
  ['stack', (a, b) => T.stack([a, b], -1), () => [leaf([2, 3]), leaf([2, 3], -2, 2, 2)]],
  ['split', (x) => x.split([1, 3], 1), any([2, 4])],
  ['chunk', (x) => x.chunk(2, 0), any([4, 3])],
  ['gather', (x) => x.gather(1, idx([[0, 0], [2, 1]])), any([2, 3])],
  ['scatterAdd', (x, s) => x.scatterAdd(0, idx([[0, 1, 0], [0, 0, 1]]), s), () => [leaf([2, 3]), leaf([2, 3], -2, 2, 2)]],
  ['indexSelect', (x) => x.indexSelect(0, idx([2, 0, 2])), any([3, 2])],
  ['indexSelect dim 1', (x) => x.indexSelect(1, idx([1, 1])), any([3, 2])],
];

const at = (data: number[]) => () => [T.tensor(data, { dtype: 'float64', requiresGrad: true })];

/** Edge points: saturation, tiny and huge magnitudes, negative bases, near-ties (but not the kinks themselves). */
const EDGES: Case[] = [
  ['sigmoid saturated', (x) => x.sigmoid(), at([-15, -8, 8, 15])],
  ['tanh saturated', (x) => x.tanh(), at([-6, -3, 3, 6])],
  ['logSigmoid far out', (x) => x.logSigmoid(), at([-30, -10, 10, 30])],
  ['softplus around its threshold 20', (x) => x.softplus(), at([-40, 19.5, 20.5, 40])],
  ['exp of very negative', (x) => x.exp(), at([-30, -20])],
  ['log near 0', (x) => x.log(), at([1e-3, 2e-3])],
  ['sqrt near 0', (x) => x.sqrt(), at([1e-3, 5e-3])],
  ['rsqrt near 0', (x) => x.rsqrt(), at([5e-3, 1e-2])],
  ['log1p near -1 and 0', (x) => x.log1p(), at([-0.99, 1e-8])],
  ['expm1 near 0', (x) => x.expm1(), at([-1e-8, 1e-8])],
  ['erf tails', (x) => x.erf(), at([-3, 3])],
  ['gelu tails', (x) => x.gelu(), at([-6, -3, 3, 6])],
  ['abs near 0', (x) => x.abs(), at([-1e-3, 1e-3])],
  ['pow negative base, integer exponent', (x) => x.pow(3), at([-1.5, -0.5])],
  ['div by negative and small', (a, b) => a.div(b), () => [at([1, -2])()[0], at([-0.05, 0.02])()[0]]],
  ['reciprocal of negatives', (x) => x.reciprocal(), at([-3, -0.2])],
  ['softmax of large logits', (x) => x.softmax(-1), at([1e3, 1e3 + 1, 1e3 - 2])],
  ['logSoftmax of spread logits', (x) => x.logSoftmax(-1), at([-50, 0, 50])],
  ['logSumExp of large logits', (x) => x.logSumExp(), at([1e4, 1e4 + 0.5, -1e4])],
  ['amax with a near-tie', (x) => x.amax(), at([1, 1.001, -1])],
  ['var of two elements', (x) => x.var(), at([0.3, -0.2])],
  ['std with correction 0', (x) => x.std(undefined, { correction: 0 }), at([1, 2, 4])],
  ['rank-0 input', (x) => x.mul(x.exp()).sum(), () => [T.tensor(0.7, { dtype: 'float64', requiresGrad: true })]],
  ['rank-0 sum', (x) => x.reshape([]).sum(), at([0.7])],
];

const ALL: [string, Case[]][] = [['edge points', EDGES], ['unary', UNARY], ['binary', BINARY], ['reductions', REDUCTIONS], ['linalg', LINALG], ['views', VIEWS], ['join', JOIN]];

describe.each(ALL)('gradcheck: %s', (_group, cases) => {
  it.each(cases)('%s', (_name, fn, inputs) => {
    expect(gradcheck(fn, inputs())).toBe(true);
  });
});

/** Second order: gradcheck of x -> grad(sum(op(x))) checks the vjp rules are themselves differentiable. */
describe('gradcheck of gradients (double backward)', () => {
  const single = [...UNARY, ...REDUCTIONS, ...VIEWS].filter(([name]) => !['relu', 'abs', 'clamp', 'clamp min only', 'leakyRelu', 'max dim', 'min dim keepdim', 'max all', 'amax dims', 'amin',
    // known limit: prod's rule is exact at zeros only to first order (see README)
    'prod with one zero', 'prod with two zeros'].includes(name));
  it.each(single)('%s', (_name, fn, inputs) => {
    const gfn = (x: Tensor): Tensor => grad((y: Tensor) => {
      const out = fn(y);
      return (Array.isArray(out) ? out : [out]).map((o) => o.mul(o.detach().mul(0).add(1.3)).sum()).reduce((a, b) => a.add(b));
    })(x);
    expect(gradcheck(gfn, inputs())).toBe(true);
  });
  // every input at once: x₁..xₙ -> the gradients of Σ 1.3·out² with respect to each
  it.each([...BINARY, ...LINALG, ...JOIN])('%s', (_name, fn, inputs) => {
    const xs = inputs();
    const floats = xs.map((x, i) => (x.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
    const gfn = (...ys: Tensor[]): Tensor[] => grad((...zs: Tensor[]) => {
      const out = fn(...zs);
      return (Array.isArray(out) ? out : [out]).map((o) => o.square().mul(1.3).sum()).reduce((a, b) => a.add(b));
    }, { argnums: floats })(...ys);
    expect(gradcheck(gfn, xs)).toBe(true);
  });
  it('matmul, both operands', () => {
    const f = (a: Tensor, b: Tensor): Tensor[] => grad((x: Tensor, y: Tensor) => x.matmul(y).square().sum(), { argnums: [0, 1] })(a, b);
    expect(gradcheck(f, [leaf([2, 3]), leaf([3, 2], -2, 2, 2)])).toBe(true);
  });
});

it('cast: gradients flow back through dtype changes in the input dtype', () => {
  const x = T.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
  x.to('float64').mul(T.tensor([3, 4], { dtype: 'float64' })).sum().backward();
  expect(x.grad!.dtype).toBe('float32');
  expect(x.grad!.toArray()).toEqual([3, 4]);
  const y = T.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
  y.mul(T.tensor([2, 2], { dtype: 'float64' })).sum().backward();
  expect(y.grad!.dtype).toBe('float32');
  expect(y.grad!.toArray()).toEqual([2, 2]);
});

it('gradcheck reports the worst element when a rule is wrong', () => {
  const x = leaf([2, 2]);
  const bad = (a: Tensor): Tensor => a.detach().square().add(a.mul(0));
  expect(() => gradcheck(bad, [x])).toThrow(/\[gradcheck\] gradients differ in \d+ of 16 Jacobian entries; worst: input 0 \[2,2\] element \[\d,\d\], output element \d: analytical 0 vs numerical/);
});

it('gradcheck compares random projections vᵀJ when there are many outputs, and promotes float32 inputs', () => {
  const x = T.tensor([[0.3, -1.2, 2], [0.7, 0.1, -0.4]], { dtype: 'float32', requiresGrad: true });
  expect(gradcheck((a) => a.matmul(a.t()).tanh(), [x], { maxRows: 2 })).toBe(true);
  const wrong = (a: Tensor): Tensor => a.exp().add(a.detach().square());
  expect(() => gradcheck(wrong, [x], { maxRows: 2 })).toThrow(/random projection \d: analytical/);
});
