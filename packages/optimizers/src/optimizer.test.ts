import { describe, expect, it, vi } from 'vitest';
import { manualSeed, randn, tensor, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import { Adagrad, Adam, AdamW, ExponentialLR, LinearLR, RMSprop, ReduceLROnPlateau, SGD, clipGradNorm, clipGradValue, type Optimizer } from './index';

/** Two seeded leaves and a loss with a non-trivial gradient everywhere. */
function problem(seed = 3): { params: Tensor[]; loss: () => Tensor } {
  manualSeed(seed);
  const params = [randn([3, 4], { requiresGrad: true }), randn([4], { requiresGrad: true })];
  const target = randn([3, 4]);
  return { params, loss: () => params[0].sub(target).square().sum().add(params[0].matmul(params[1]).sin().sum()) };
}

function run(opt: Optimizer<any, any>, loss: () => Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
}

const snapshot = (ps: Tensor[]): number[][] => ps.map((p) => [...p.data()]);

describe('Optimizer base', () => {
  it('updates in place: same tensor objects, still leaves, version bumped, no graph recorded', () => {
    const { params, loss } = problem();
    const [p0] = params;
    const v0 = p0.version;
    const opt = new Adam(params, { lr: 0.1 });
    run(opt, loss, 2);
    expect(opt.paramGroups[0].params[0]).toBe(p0);
    expect(p0.isLeaf && p0.requiresGrad).toBe(true);
    expect(p0.gradFn).toBeNull();
    expect(p0.version).toBeGreaterThan(v0);
  });

  it('zeroGrad sets gradients to null and step skips parameters without one', () => {
    const { params, loss } = problem();
    const opt = new SGD(params, { lr: 0.1 });
    loss().backward();
    const grads = params.map((p) => p.grad!);
    opt.zeroGrad();
    expect(params.map((p) => p.grad)).toEqual([null, null]);
    expect(grads.map((g) => g.disposed)).toEqual([true, true]); // released now, not at the next collection
    const before = snapshot(params);
    opt.step();
    expect(snapshot(params)).toEqual(before);
    expect(opt.state.size).toBe(0);
  });

  it('parameter groups keep their own options', () => {
    const { params, loss } = problem();
    const opt = new SGD([{ params: [params[0]] }, { params: [params[1]], lr: 0 }], { lr: 0.1, momentum: 0.5 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.5], [0, 0.5]]);
    const before = snapshot(params);
    run(opt, loss, 3);
    const after = snapshot(params);
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
  });

  it('stateDict / loadStateDict resume a run exactly', () => {
    const a = problem();
    const b = problem();
    const optA = new Adam(a.params, { lr: 0.05, amsgrad: true });
    run(optA, a.loss, 3);
    const saved = optA.stateDict();
    expect(saved.paramGroups[0].params).toEqual([0, 1]);
    expect(saved.state[0].step).toBe(3);
    // Bring b's parameters to a's values, then load the optimizer state into a fresh optimizer.
    noGrad(() => b.params.forEach((p, i) => p.copy_(a.params[i])));
    const optB = new Adam(b.params, { lr: 0.5 });
    optB.loadStateDict(saved);
    expect(optB.paramGroups[0].lr).toBe(0.05);
    run(optA, a.loss, 4);
    run(optB, b.loss, 4);
    expect(snapshot(b.params)).toEqual(snapshot(a.params));
  });

  it('loadStateDict copies tensors, so the saved state is not changed by later steps', () => {
    const { params, loss } = problem();
    const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
    run(opt, loss, 1);
    const saved = opt.stateDict();
    const buf = [...(saved.state[0].momentumBuffer as Tensor).data()];
    opt.loadStateDict(saved);
    run(opt, loss, 2);
    expect([...(saved.state[0].momentumBuffer as Tensor).data()]).toEqual(buf);
  });

  it('rejects bad input with errors naming the optimizer', () => {
    const { params } = problem();
    expect(() => new SGD(params, { lr: -1 })).toThrow('[SGD] invalid learning rate: -1');
    expect(() => new SGD(params, { lr: 0.1, nesterov: true })).toThrow('[SGD] Nesterov momentum requires a momentum > 0');
    expect(() => new Adam(params, { betas: [1, 0.9] })).toThrow('[Adam] invalid beta parameter at index 0: 1');
    expect(() => new RMSprop(params, { eps: -1 })).toThrow('[RMSprop] invalid epsilon value: -1');
    expect(() => new Adagrad(params, { lrDecay: -1 })).toThrow('[Adagrad] invalid lrDecay value: -1');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('[SGD] got an empty parameter list');
    expect(() => new SGD([params[0], params[0]], { lr: 0.1 })).toThrow('appears in more than one group');
    expect(() => new SGD([params[0].mul(2)], { lr: 0.1 })).toThrow("[SGD] can't optimize a non-leaf tensor");
    const opt = new SGD(params, { lr: 0.1 });
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [] })).toThrow('[SGD] loaded state has 0 parameter groups, this optimizer has 1');
  });

  it('AdamW defaults to weightDecay 0.01 (decoupled), Adam to 0', () => {
    const { params } = problem();
    expect(new AdamW(params).paramGroups[0]).toMatchObject({ weightDecay: 0.01, decoupled: true });
    expect(new Adam(params).paramGroups[0]).toMatchObject({ weightDecay: 0, decoupled: false });
  });
});

describe('fused kernels', () => {
  const cases: [string, (p: Tensor[], fused: boolean) => Optimizer<any, any>, 'sgdUpdate' | 'adamUpdate'][] = [
    ['SGD', (p, fused) => new SGD(p, { lr: 0.05, fused }), 'sgdUpdate'],
    ['SGD momentum+nesterov+wd', (p, fused) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1, fused }), 'sgdUpdate'],
    ['SGD momentum+dampening', (p, fused) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.3, fused }), 'sgdUpdate'],
    ['Adam wd', (p, fused) => new Adam(p, { lr: 0.05, weightDecay: 0.1, fused }), 'adamUpdate'],
    ['AdamW', (p, fused) => new AdamW(p, { lr: 0.05, betas: [0.8, 0.9], weightDecay: 0.2, fused }), 'adamUpdate'],
  ];
  it.each(cases)('%s: the fused kernel runs and equals the composite over 10 steps', (_, make, kernel) => {
    const a = problem();
    const b = problem();
    const fusedKernels = a.params[0].backend.fused;
    expect(fusedKernels?.[kernel]).toBeTypeOf('function');
    const spy = vi.spyOn(fusedKernels as Required<typeof fusedKernels> & object, kernel);
    run(make(a.params, true), a.loss, 10);
    expect(spy).toHaveBeenCalledTimes(20);
    spy.mockClear();
    run(make(b.params, false), b.loss, 10);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const fa = snapshot(a.params).flat();
    const fb = snapshot(b.params).flat();
    fa.forEach((v, i) => expect(Math.abs(v - fb[i])).toBeLessThan(1e-5 * (1 + Math.abs(fb[i]))));
  });

  it('amsgrad always takes the composite path', () => {
    const { params, loss } = problem();
    const spy = vi.spyOn(params[0].backend.fused as { adamUpdate: (...a: any[]) => void }, 'adamUpdate');
    run(new Adam(params, { amsgrad: true }), loss, 2);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('float64 parameters', () => {
  it.each([
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.01, momentum: 0.9 })],
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.01 })],
    ['RMSprop', (p: Tensor[]) => new RMSprop(p, { centered: true, momentum: 0.5 })],
    ['Adagrad', (p: Tensor[]) => new Adagrad(p, { lr: 0.1 })],
  ] as const)('%s keeps float64 parameters float64 and lowers the loss', (_, make) => {
    const p = tensor([[1.5, -2], [0.25, 3]], { dtype: 'float64', requiresGrad: true });
    const loss = () => p.square().sum();
    const opt = make([p]);
    const first = loss().item();
    run(opt, loss, 20);
    expect(p.dtype).toBe('float64');
    expect(loss().item()).toBeLessThan(first);
  });
});

describe('clipping and schedulers', () => {
  it('clipGradNorm returns 0 when no parameter has a gradient; clipGradValue leaves null grads alone', () => {
    const { params } = problem();
    expect(clipGradNorm(params, 1)).toBe(0);
    clipGradValue(params, 1);
    expect(params[0].grad).toBeNull();
  });

  it('clipGradNorm leaves small gradients unchanged and scales large ones to maxNorm', () => {
    const p = tensor([0, 0], { dtype: 'float32', requiresGrad: true });
    p.grad = tensor([3, 4], { dtype: 'float32' });
    expect(clipGradNorm([p], 10)).toBeCloseTo(5);
    expect(p.grad.toArray()).toEqual([3, 4]);
    expect(clipGradNorm([p], 1)).toBeCloseTo(5);
    expect((p.grad.toArray() as number[]).map((v) => +v.toFixed(4))).toEqual([0.6, 0.8]);
  });

  it('schedulers drive every group from its own base lr', () => {
    const { params } = problem();
    const opt = new SGD([{ params: [params[0]], lr: 1 }, { params: [params[1]], lr: 0.1 }], { lr: 0.5 });
    const sched = new ExponentialLR(opt, { gamma: 0.5 });
    sched.step();
    sched.step();
    expect(sched.getLastLr()).toEqual([0.25, 0.025]);
  });

  it('ReduceLROnPlateau state dict carries best, patience counters and epoch', () => {
    const opt = new SGD(problem().params, { lr: 1 });
    const a = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
    [3, 2, 2.5].forEach((m) => a.step(m));
    const b = new ReduceLROnPlateau(new SGD(problem().params, { lr: 1 }), { patience: 1, factor: 0.5 });
    b.loadStateDict(a.stateDict());
    expect(b).toMatchObject({ best: 2, numBadEpochs: 1, lastEpoch: 3 });
    a.step(2.6);
    expect(a.getLastLr()).toEqual([0.5]);
  });

  it('a scheduler state dict restores the epoch counter', () => {
    const { params } = problem();
    const opt = new SGD(params, { lr: 1 });
    const a = new LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
    a.step();
    const saved = a.stateDict();
    const opt2 = new SGD(problem().params, { lr: 1 });
    const b = new LinearLR(opt2, { startFactor: 0.5, totalIters: 4 });
    b.loadStateDict(saved);
    opt2.paramGroups[0].lr = opt.paramGroups[0].lr;
    a.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());
    expect(b.lastEpoch).toBe(2);
  });
});
