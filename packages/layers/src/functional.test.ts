import { describe, expect, it } from 'vitest';
import { full, manualSeed, memory, randn, tensor, type Tensor } from '@nabla/tensor';
import { grad, gradcheck } from '@nabla/autograd';
import { avgPool2d, conv2d, maxPool2d, init, Linear, ReLU, Sequential, BatchNorm1d, Dropout } from './index';
import type { Conv2dOptions, Pool2dOptions } from './index';

const f64 = (shape: number[]): Tensor => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('gradcheck (float64 central differences) of the conv and pooling ops', () => {
  const convs: [number[], number[], Conv2dOptions][] = [
    [[2, 2, 5, 5], [3, 2, 3, 3], {}],
    [[1, 2, 6, 5], [2, 2, 2, 3], { stride: [2, 1], padding: [1, 0] }],
    [[1, 1, 7, 7], [2, 1, 3, 3], { dilation: 2, padding: 2 }],
    [[1, 4, 5, 5], [4, 2, 3, 3], { groups: 2, padding: 1 }],
    [[1, 3, 4, 4], [3, 1, 3, 3], { groups: 3, stride: 2, padding: 1 }],
  ];
  it.each(convs)('conv2d x%j w%j %j with bias', (xs, ws, o) => {
    manualSeed(1);
    expect(gradcheck((x, w, b) => conv2d(x, w, b, o), [f64(xs), f64(ws), f64([ws[0]])])).toBe(true);
  });

  const pools: [number[], Pool2dOptions][] = [
    [[1, 2, 4, 4], { kernelSize: 2 }],
    [[2, 1, 5, 5], { kernelSize: 3, stride: 2, padding: 1 }],
    [[1, 1, 6, 6], { kernelSize: 2, stride: 1 }],
    [[1, 1, 7, 7], { kernelSize: 3, stride: 2, padding: 1, dilation: 2 }],
  ];
  it.each(pools)('maxPool2d %j %j', (xs, o) => {
    manualSeed(2);
    expect(gradcheck((x) => maxPool2d(x, o), [f64(xs)])).toBe(true);
  });
  it.each(pools.filter(([, o]) => o.dilation === undefined))('avgPool2d %j %j (and countIncludePad: false)', (xs, o) => {
    manualSeed(3);
    expect(gradcheck((x) => avgPool2d(x, o), [f64(xs)])).toBe(true);
    expect(gradcheck((x) => avgPool2d(x, { ...o, countIncludePad: false }), [f64(xs)])).toBe(true);
  });

  it('conv2d accepts non-contiguous inputs', () => {
    manualSeed(4);
    const x = randn([1, 5, 5, 2], { dtype: 'float64' }).permute(0, 3, 1, 2).detach().requiresGrad_(true);
    expect(x.isContiguous()).toBe(false);
    expect(gradcheck((a, w) => conv2d(a, w, null, { padding: 1 }), [x, f64([3, 2, 3, 3])])).toBe(true);
  });

  // Second order: the gradient functions themselves pass gradcheck (their backward rules are differentiable).
  it('conv2d has gradients of gradients (w.r.t. x and w)', () => {
    manualSeed(5);
    const o: Conv2dOptions = { stride: 2, padding: 1, groups: 2 };
    const f = (x: Tensor, w: Tensor) => conv2d(x, w, null, o).square().sum();
    const inputs = [f64([1, 2, 5, 5]), f64([4, 1, 3, 3])];
    expect(gradcheck((x, w) => grad(f, { argnums: [0, 1] })(x, w), inputs)).toBe(true);
  });

  it('avgPool2d and maxPool2d have gradients of gradients', () => {
    manualSeed(6);
    const o: Pool2dOptions = { kernelSize: 3, stride: 2, padding: 1 };
    expect(gradcheck((x) => grad((a: Tensor) => avgPool2d(a, o).square().sum())(x), [f64([1, 2, 5, 5])])).toBe(true);
    expect(gradcheck((x) => grad((a: Tensor) => maxPool2d(a, o).square().sum())(x), [f64([1, 2, 5, 5])])).toBe(true);
  });

  it('avgPool2d countIncludePad: false divides by the valid part of the window', () => {
    const x = tensor([[[[1, 2], [3, 4]]]], { dtype: 'float32' });
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).toArray()).toEqual([[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]);
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).select(3, 0).toArray()).toEqual([[[0.25, 1, 0.75]]]);
  });
});

describe('initialisers', () => {
  it('fans and gains follow torch.nn.init', () => {
    expect(init.calculateFans(randn([8, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 200 });
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3));
    expect(() => init.calculateFans(randn([4]))).toThrow('[init] fan in and fan out need a tensor of rank ≥ 2, got [4]');
  });

  const stats = (t: Tensor) => ({ mean: t.mean().item(), std: t.std().item(), max: t.abs().amax().item() });
  it.each([
    ['xavierUniform', (t: Tensor) => init.xavierUniform(t), Math.sqrt(2 / 600), Math.sqrt(6 / 600)],
    ['xavierNormal', (t: Tensor) => init.xavierNormal(t, 2), 2 * Math.sqrt(2 / 600), Infinity],
    ['kaimingUniform relu', (t: Tensor) => init.kaimingUniform(t, { nonlinearity: 'relu' }), Math.sqrt(2 / 200), Math.sqrt(6 / 200)],
    ['kaimingNormal fanOut', (t: Tensor) => init.kaimingNormal(t, { mode: 'fanOut', nonlinearity: 'relu' }), Math.sqrt(2 / 400), Infinity],
    ['uniform(-2, 2)', (t: Tensor) => init.uniform(t, -2, 2), 4 / Math.sqrt(12), 2],
    ['normal(0, 0.5)', (t: Tensor) => init.normal(t, 0, 0.5), 0.5, Infinity],
  ] as const)('%s fills in place with the right spread', (_, fill, std, bound) => {
    manualSeed(6);
    const t = randn([400, 200]);
    expect(fill(t)).toBe(t);
    const s = stats(t);
    expect(Math.abs(s.mean)).toBeLessThan(std * 0.05);
    expect(s.std / std).toBeGreaterThan(0.97);
    expect(s.std / std).toBeLessThan(1.03);
    expect(s.max).toBeLessThanOrEqual(bound);
  });

  it('constant, zeros and ones work on parameters that require grad (no graph recorded)', () => {
    const w = new Linear(2, 2).weight;
    init.constant(w, 0.5);
    expect(w.toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    init.zeros(w);
    init.ones(w);
    expect(w.gradFn).toBeNull();
    expect(w.sum().item()).toBe(4);
  });
});

describe('memory', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  const settle = async (): Promise<number> => {
    for (let i = 0; i < 2; i++) {
      collect?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    return memory().tensors;
  };

  it('a training loop over layers keeps live tensors flat without any dispose', async () => {
    expect(collect, 'vitest runs this package with --expose-gc').toBeTypeOf('function');
    manualSeed(8);
    const model = new Sequential(new Linear(6, 16), new BatchNorm1d(16), new ReLU(), new Dropout(0.1), new Linear(16, 2));
    const x = randn([32, 6]);
    const y = randn([32, 2]);
    const step = (): void => {
      const loss = model.forward(x).sub(y).square().mean();
      loss.backward();
      for (const p of model.parameters()) {
        p.grad = null;
      }
    };
    for (let i = 0; i < 100; i++) step();
    const early = await settle();
    for (let i = 0; i < 500; i++) step();
    const late = await settle();
    expect(late - early).toBeLessThan(20);
  });
});

describe('forward outputs on reused storage', () => {
  it('conv2d and the pools overwrite every element of a recycled (NaN-filled) buffer', () => {
    manualSeed(5);
    const x = randn([2, 3, 7, 7]);
    const w = randn([4, 3, 3, 3]);
    const clean = [conv2d(x, w, null, { padding: 1 }), maxPool2d(x, { kernelSize: 2 }), avgPool2d(x, { kernelSize: 3, padding: 1 })].map((t) => t.toArray());
    // Release NaN-filled buffers of exactly the output sizes, so the next outputs reuse them.
    for (const n of [2 * 4 * 7 * 7, 2 * 3 * 3 * 3, 2 * 3 * 3 * 3]) full([n], NaN).exp().dispose();
    tensor(new Array(2 * 3 * 3 * 3).fill(-7)).mul(3).dispose(); // int32 indices of maxPool2d
    expect(conv2d(x, w, null, { padding: 1 }).toArray()).toEqual(clean[0]);
    expect(maxPool2d(x, { kernelSize: 2 }).toArray()).toEqual(clean[1]);
    expect(avgPool2d(x, { kernelSize: 3, padding: 1 }).toArray()).toEqual(clean[2]);
  });
});
