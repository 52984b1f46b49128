import { describe, expect, it } from 'vitest';
import { tensor, arange, ones, zeros, memory, scope, keep, randn, manualSeed } from './index';

describe('readback', () => {
  it('toArray, data, item and async twins', async () => {
    const x = arange(4).float().reshape([2, 2]);
    expect(x.toArray()).toEqual([[0, 1], [2, 3]]);
    expect(x.t().data()).toEqual(new Float32Array([0, 2, 1, 3]));
    expect(tensor(5).toArray()).toBe(5);
    expect(tensor(true).toArray()).toBe(true);
    expect(x.sum().item()).toBe(6);
    expect(() => x.item()).toThrow('[item] only one-element tensors convert to a number, got shape [2,2]');
    expect(await x.toArrayAsync()).toEqual([[0, 1], [2, 3]]);
    expect(await x.dataAsync()).toEqual(new Float32Array([0, 1, 2, 3]));
    expect([x.ndim, x.numel, x.size(1), x.size(-2)]).toEqual([2, 4, 2, 2]);
  });
});

describe('toString prints like PyTorch', () => {
  it('formats floats, ints, bools and dtypes', () => {
    expect(tensor([[1, 2], [3, 4]]).float().toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([0.5, -1.25]).toString()).toBe('tensor([ 0.5000, -1.2500])');
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1, 2, 3])');
    expect(tensor([true, false]).toString()).toBe('tensor([ True, False])');
    expect(tensor([1, 2], { dtype: 'float64' }).toString()).toBe('tensor([1., 2.], dtype=float64)');
    expect(tensor([1e-5, 1])).toBeDefined();
    expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(tensor([NaN, Infinity, 1.5]).toString()).toBe('tensor([   nan,    inf, 1.5000])');
    expect(tensor(2.5).toString()).toBe('tensor(2.5000)');
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=[0, 3])');
    expect(tensor([1.5], { requiresGrad: true }).toString()).toBe('tensor([1.5000], requiresGrad=true)');
  });
  it('wraps long rows and summarises big tensors', () => {
    expect(arange(30).float().toString()).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
        '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
        '        28., 29.])',
    );
    expect(arange(2000).toString()).toBe('tensor([   0,    1,    2,  ..., 1997, 1998, 1999])');
    expect(arange(3000).reshape([1000, 3]).toString()).toBe(
      'tensor([[   0,    1,    2],\n        [   3,    4,    5],\n        [   6,    7,    8],\n        ...,\n' +
        '        [2991, 2992, 2993],\n        [2994, 2995, 2996],\n        [2997, 2998, 2999]])',
    );
  });
});

describe('memory and lifetime', () => {
  it('counts live tensors and bytes; views share storage and free with the last view', () => {
    const m0 = memory();
    const x = zeros([4, 4]);
    const v = x.t();
    expect(memory().tensors).toBe(m0.tensors + 2);
    expect(memory().bytes).toBe(m0.bytes + 64);
    expect(memory().backends.js.bytes).toBeGreaterThanOrEqual(64);
    x.dispose();
    expect(memory().bytes).toBe(m0.bytes + 64); // the view still holds the storage
    const s = v.sum();
    expect(s.item()).toBe(0);
    s.dispose();
    v.dispose();
    expect(memory().tensors).toBe(m0.tensors);
    expect(memory().bytes).toBe(m0.bytes);
    v.dispose(); // idempotent
    expect(memory().tensors).toBe(m0.tensors);
  });
  it('throws on use after dispose', () => {
    const x = ones([2]);
    x.dispose();
    expect(() => x.add(1)).toThrow('[add] tensor was disposed');
    expect(() => x.exp()).toThrow('[exp] tensor was disposed');
    expect(() => x.sum()).toThrow('[sum] tensor was disposed');
    expect(() => x.reshape([2])).toThrow('[reshape] tensor was disposed');
    expect(() => x.toArray()).toThrow('[data] tensor was disposed');
    expect(() => ones([2]).matmul(x)).toThrow('[matmul] tensor was disposed');
  });
  it('supports using declarations via Symbol.dispose', () => {
    const before = memory().tensors;
    {
      const x = ones([3]);
      x[Symbol.dispose]();
    }
    expect(memory().tensors).toBe(before);
  });
  it('scope disposes what it does not return (sync and async, nested results kept)', async () => {
    const before = memory().tensors;
    const x = ones([3]);
    const y = scope(() => x.mul(2).add(1).exp());
    expect(memory().tensors).toBe(before + 2);
    const { a, list } = scope(() => ({ a: x.add(1).mul(3), list: [x.sub(1), 5] as const }));
    expect(memory().tensors).toBe(before + 4);
    const z = await scope(async () => {
      const t = x.add(1);
      await new Promise((r) => setTimeout(r, 1));
      return t.mul(t);
    });
    expect(memory().tensors).toBe(before + 5);
    expect(() => scope(() => { x.add(1); throw new Error('boom'); })).toThrow('boom');
    expect(memory().tensors).toBe(before + 5);
    for (const t of [x, y, a, list[0], z]) t.dispose();
    expect(memory().tensors).toBe(before);
  });
  it('scope keeps tensors assigned to .grad and tensors passed to keep()', () => {
    const p = ones([2], { requiresGrad: true });
    const state = new Map<string, ReturnType<typeof ones>>();
    scope(() => {
      p.grad = ones([2]).mul(3);
      state.set('m', keep(zeros([2])));
      ones([2]); // dropped
    });
    expect(p.grad?.toArray()).toEqual([3, 3]);
    expect(state.get('m')?.toArray()).toEqual([0, 0]);
    expect(() => { (p as any).grad = 5; }).toThrow('[grad] expected a tensor or null, got number');
  });
  it('frees storage of collected tensors through the FinalizationRegistry', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return expect.fail('run with --expose-gc');
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await settle();
    const before = memory();
    (() => {
      manualSeed(0);
      for (let i = 0; i < 200; i++) randn([64]).exp();
    })();
    expect(memory().tensors).toBeGreaterThanOrEqual(before.tensors + 400);
    await settle();
    expect(memory().tensors).toBeLessThanOrEqual(before.tensors);
    expect(memory().bytes).toBeLessThanOrEqual(before.bytes);
  });
});
