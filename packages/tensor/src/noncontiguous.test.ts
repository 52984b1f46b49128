// Every op gives the same answer on a strided view as on a contiguous copy of it, and fused kernels match the composites.
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@nabla/backend-js';
import { setBackend } from '@nabla/core';
import type { Tensor} from './index';
import { manualSeed, randn, tensor, cat, where, gather } from './index';

manualSeed(3);
// A [4,4] view that is transposed, sliced with a step and offset: nothing about it is contiguous.
const base = randn([4, 8]);
const view = base.slice(1, 1, 8, 2).t();
const dense = view.contiguous();

const same = (a: Tensor, b: Tensor, name: string, approx = false): void => {
  expect(a.shape, name).toEqual(b.shape);
  // softmax on the dense copy takes the fused kernel, on the view the composite: equal up to rounding.
  const want = Array.from(b.data());
  expect(Array.from(a.data()), name).toEqual(approx ? want.map((v) => expect.closeTo(v, 6)) : want);
};

describe('non-contiguous inputs', () => {
  it('the fixture really is strided', () => {
    expect(view.isContiguous()).toBe(false);
    expect(view.offset).toBe(1);
    expect(dense.isContiguous()).toBe(true);
  });
  const unary = ['neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos', 'tanh',
    'sigmoid', 'logSigmoid', 'relu', 'leakyRelu', 'gelu', 'softplus', 'erf', 'floor', 'ceil', 'round', 'logicalNot', 'clone', 't'];
  for (const op of unary) it(`unary ${op}`, () => same((view as any)[op](), (dense as any)[op](), op));
  const binary = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'remainder', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr'];
  for (const op of binary) it(`binary ${op}`, () => same((view as any)[op](view.t().t().abs()), (dense as any)[op](dense.abs()), op));
  const reduce: [string, unknown[]][] = [
    ['sum', [1]], ['mean', [0]], ['prod', [1]], ['amax', [0]], ['amin', [1]], ['max', [1]], ['min', []], ['argmax', [0]], ['argmin', [1]],
    ['var', [1]], ['std', [0]], ['logSumExp', [1]], ['softmax', [0]], ['logSoftmax', [1]], ['softmax', [1]],
  ];
  for (const [op, args] of reduce) {
    it(`reduce ${op}(${args.join(',')})`, () => same((view as any)[op](...args), (dense as any)[op](...args), op, op.includes('oftmax')));
  }
  it('matmul, views, join and index ops', () => {
    same(view.matmul(view.t()), dense.matmul(dense.t()), 'matmul');
    same(view.reshape([16]), dense.reshape([16]), 'reshape');
    same(view.flatten(), dense.flatten(), 'flatten');
    same(view.unsqueeze(1).expand([4, 2, 4]), dense.unsqueeze(1).expand([4, 2, 4]), 'expand');
    same(view.slice(0, 1, 4, 2), dense.slice(0, 1, 4, 2), 'slice');
    same(view.select(1, 2), dense.select(1, 2), 'select');
    same(cat([view, view], 1), cat([dense, dense], 1), 'cat');
    same(view.split(2, 0)[1], dense.split(2, 0)[1], 'split');
    const idx = tensor([[0, 2, 1], [1, 1, 0], [2, 0, 0], [0, 0, 2]]);
    same(gather(view, 1, idx), gather(dense, 1, idx), 'gather');
    same(view.scatterAdd(1, idx, view.slice(1, 0, 3)), dense.scatterAdd(1, idx, dense.slice(1, 0, 3)), 'scatterAdd');
    same(view.indexSelect(0, tensor([3, 0])), dense.indexSelect(0, tensor([3, 0])), 'indexSelect');
    same(where(view.gt(0), view, 0), where(dense.gt(0), dense, 0), 'where');
    same(view.clamp(-0.5, 0.5), dense.clamp(-0.5, 0.5), 'clamp');
  });
});

describe('fused kernels match the composite fallback', () => {
  it('softmax and logSoftmax along the last dim', () => {
    const x = randn([5, 7]).mul(10);
    const fusedSm = x.softmax(-1); // contiguous last dim: backend.fused.softmax
    const fusedLsm = x.logSoftmax(-1);
    const plain = createJsBackend() as any;
    delete plain.fused;
    setBackend(plain);
    const y = tensor(Array.from(x.data()), { shape: x.shape });
    const close = (a: Tensor, b: Tensor) => Array.from(a.data()).forEach((v, i) => expect(v).toBeCloseTo(b.data()[i], 5));
    close(fusedSm, y.softmax(-1));
    close(fusedLsm, y.logSoftmax(-1));
  });
});
