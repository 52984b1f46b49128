import { describe, expect, it } from 'vitest';
import { manualSeed, ones, randn, tensor, type Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';
import {
  BatchNorm1d, Conv2d, Dropout, Embedding, Flatten, LayerNorm, Linear, MaxPool2d, Module, ModuleList, ReLU, Sequential,
  parameter,
} from './index';

class Encoder extends Module {
  fc1 = new Linear(4, 8);
  act = new ReLU();
  fc2 = new Linear(8, 2, { bias: false });
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

class AutoEncoder extends Module {
  encoder = new Encoder();
  decoder = new Sequential(new Linear(2, 4), new BatchNorm1d(4));
  scale = parameter(ones([1]));
  forward(x: Tensor): Tensor {
    return this.decoder.forward(this.encoder.forward(x)).mul(this.scale);
  }
}

const keys = (m: Module): string[] => [...m.namedParameters()].map(([k]) => k);

describe('Module: discovery and names', () => {
  it('names parameters like PyTorch, in declaration order', () => {
    expect(keys(new AutoEncoder())).toEqual([
      'scale', 'encoder.fc1.weight', 'encoder.fc1.bias', 'encoder.fc2.weight', 'decoder.0.weight', 'decoder.0.bias',
      'decoder.1.weight', 'decoder.1.bias',
    ]);
    expect(keys(new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1)))).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('stateDict holds parameters then buffers per module, with torch buffer names', () => {
    expect(Object.keys(new AutoEncoder().stateDict())).toEqual([
      'scale', 'encoder.fc1.weight', 'encoder.fc1.bias', 'encoder.fc2.weight', 'decoder.0.weight', 'decoder.0.bias',
      'decoder.1.weight', 'decoder.1.bias', 'decoder.1.running_mean', 'decoder.1.running_var', 'decoder.1.num_batches_tracked',
    ]);
    expect(new AutoEncoder().buffers().map((b) => b.dtype)).toEqual(['float32', 'float32', 'int32']);
  });

  it('children, modules and ModuleList registration', () => {
    const m = new AutoEncoder();
    expect(m.children().map((c) => c.constructor.name)).toEqual(['Encoder', 'Sequential']);
    expect(m.modules()).toHaveLength(8);
    const list = new ModuleList([new Linear(2, 2), new Linear(2, 1)]);
    list.push(new ReLU());
    expect(list.length).toBe(3);
    expect(keys(list)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect([...list].map((c) => c.constructor.name)).toEqual(['Linear', 'Linear', 'ReLU']);
    expect(() => list.forward()).toThrow('[ModuleList] a ModuleList has no forward');
  });

  it('shared parameters are listed once', () => {
    const fc = new Linear(3, 3);
    const tied = new Sequential(fc, new ReLU(), fc);
    expect(tied.parameters()).toHaveLength(2);
  });

  it('counts parameters and prints a torch-like summary', () => {
    const m = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
    expect(m.numParameters()).toBe(4 * 8 + 8 + 8 * 2 + 2);
    expect(String(m)).toBe(
      'Sequential(\n' +
        '  (0): Linear(inFeatures=4, outFeatures=8, bias=true)\n' +
        '  (1): ReLU()\n' +
        '  (2): Linear(inFeatures=8, outFeatures=2, bias=true)\n' +
        ')\n58 parameters (58 trainable)',
    );
    m[0].parameters().forEach((p) => (p.requiresGrad = false));
    expect(String(m).split('\n').pop()).toBe('58 parameters (18 trainable)');
  });

  it('call is forward; train/eval reach every descendant; apply visits children first', () => {
    const m = new AutoEncoder();
    const x = randn([3, 4]);
    expect(m.call(x).data()).toEqual(m.forward(x).data());
    m.eval();
    expect(m.modules().every((c) => !c.training)).toBe(true);
    m.train();
    expect(m.decoder[1].training).toBe(true);
    const order: string[] = [];
    new Sequential(new Linear(1, 1), new ReLU()).apply((c) => order.push(c.constructor.name));
    expect(order).toEqual(['Linear', 'ReLU', 'Sequential']);
  });

  it('zeroGrad clears every gradient to null', () => {
    const m = new AutoEncoder();
    m.forward(randn([3, 4])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    const grads = m.parameters().map((p) => p.grad!);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    expect(grads.every((g) => g.disposed)).toBe(true);
  });

  it('to(float64) keeps shared parameters shared', () => {
    const a = new Linear(2, 2);
    const b = new Linear(2, 2);
    b.weight = a.weight; // weight tying across two modules
    const tied = new Sequential(a, new ReLU(), b).to('float64');
    expect(tied.parameters()).toHaveLength(3);
    expect(b.weight).toBe(a.weight);
    expect(a.weight.dtype).toBe('float64');
  });

  it('to(float64) converts parameters and float buffers, keeping integer buffers', () => {
    const m = new AutoEncoder().to('float64');
    expect(m.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad && p.isLeaf)).toBe(true);
    expect(m.buffers().map((b) => b.dtype)).toEqual(['float64', 'float64', 'int32']);
    expect(m.forward(randn([3, 4], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('Module: state dicts', () => {
  it('round-trips: a second model loading the first one computes the same outputs', () => {
    manualSeed(1);
    const a = new AutoEncoder();
    a.forward(randn([5, 4])); // moves BatchNorm's running stats
    manualSeed(2);
    const b = new AutoEncoder();
    const x = randn([5, 4]);
    a.eval();
    b.eval();
    expect(b.forward(x).data()).not.toEqual(a.forward(x).data());
    const params = b.parameters();
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).data()).toEqual(a.forward(x).data());
    expect(b.parameters()).toEqual(params); // same tensor objects: optimizers stay valid
    expect(b.parameters()[0]).toBe(params[0]);
  });

  it('strict loading names missing and unexpected keys', () => {
    const m = new Sequential(new Linear(2, 2));
    const sd = m.stateDict();
    expect(() => m.loadStateDict({ '0.weight': sd['0.weight'] })).toThrow("[loadStateDict] missing keys: '0.bias'");
    expect(() => m.loadStateDict({ ...sd, '1.weight': sd['0.weight'] })).toThrow("[loadStateDict] unexpected keys: '1.weight'");
  });

  it('non-strict loading reports instead, but shape mismatches always throw naming the key', () => {
    const m = new Sequential(new Linear(2, 2));
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    expect(m.loadStateDict({ '0.weight': w, extra: w }, { strict: false })).toEqual({ missingKeys: ['0.bias'], unexpectedKeys: ['extra'] });
    expect(m[0].parameters()[0].toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => m.loadStateDict({ '0.weight': ones([3, 2]), '0.bias': ones([2]) })).toThrow(
      "[loadStateDict] shape mismatch for '0.weight': expected [2,2] got [3,2]",
    );
  });
});

describe('layers: train vs eval, defaults and errors', () => {
  it('Dropout zeroes about p of the elements and rescales the rest in training; identity in eval', () => {
    const d = new Dropout(0.25);
    const x = ones([100, 100]);
    manualSeed(5);
    const y = d.forward(x).data();
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / y.length).toBeGreaterThan(0.22);
    expect(zeros / y.length).toBeLessThan(0.28);
    expect(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    manualSeed(5);
    expect(d.forward(x).data()).toEqual(y); // seeded: the same mask again
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(() => new Dropout(1.5)).toThrow('[Dropout] p must be in [0, 1], got 1.5');
  });

  it('BatchNorm uses batch statistics in training (updating running ones) and running ones in eval', () => {
    const bn = new BatchNorm1d(2);
    const x = tensor([[1, 10], [3, 30], [5, 50]], { dtype: 'float32' });
    const y = bn.forward(x);
    expect((y.mean(0).toArray() as number[]).map((v) => Math.abs(v) < 1e-6)).toEqual([true, true]);
    expect(bn.running_mean?.toArray()).toEqual([0.3, 3].map((v) => Math.fround(v)));
    // Unbiased batch variance: [4, 400] -> 0.9 * 1 + 0.1 * var.
    expect((bn.running_var?.toArray() as number[]).map((v) => +v.toFixed(4))).toEqual([1.3, 40.9]);
    expect(bn.num_batches_tracked?.item()).toBe(1);
    bn.eval();
    const before = bn.running_mean?.data();
    const ye = bn.forward(x);
    expect(bn.running_mean?.data()).toEqual(before);
    expect(ye.select(1, 0).toArray()).toEqual(
      [1, 3, 5].map((v) => Math.fround((v - Math.fround(0.3)) / Math.sqrt(Math.fround(1.3) + 1e-5))).map((v) => expect.closeTo(v, 5)),
    );
    expect(() => bn.forward(ones([2, 3]))).toThrow('[BatchNorm1d] expected input [N, 2] or [N, 2, L], got [2,3]');
    bn.train();
    expect(() => bn.forward(ones([1, 2]))).toThrow('expected more than 1 value per channel in training');
  });

  it('Linear and Conv2d default initialisation stays within ±1/√fanIn like torch', () => {
    manualSeed(3);
    const fc = new Linear(50, 40);
    const bound = 1 / Math.sqrt(50);
    for (const p of fc.parameters()) expect(p.abs().amax().item()).toBeLessThanOrEqual(bound);
    expect(fc.weight.abs().amax().item()).toBeGreaterThan(bound * 0.95);
    const conv = new Conv2d(4, 6, 3, { groups: 2 });
    expect(conv.weight.shape).toEqual([6, 2, 3, 3]);
    expect(conv.weight.abs().amax().item()).toBeLessThanOrEqual(1 / Math.sqrt(2 * 9));
  });

  it('initialisation is reproducible under manualSeed', () => {
    manualSeed(9);
    const a = new Linear(3, 3).weight.data();
    manualSeed(9);
    expect(new Linear(3, 3).weight.data()).toEqual(a);
  });

  it('Embedding looks rows up and never trains the padding row', () => {
    const e = new Embedding(5, 3, { paddingIdx: 2 });
    expect(e.weight.select(0, 2).toArray()).toEqual([0, 0, 0]);
    const idx = tensor([[2, 4], [2, 0]], { dtype: 'int32' });
    const out = e.forward(idx);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.select(0, 0).select(0, 1).data()).toEqual(e.weight.select(0, 4).data());
    out.sum().backward();
    expect(e.weight.grad?.toArray()).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    expect(() => e.forward(tensor([0.5]))).toThrow('[Embedding] expected int32 indices, got float32');
  });

  it('errors name the layer and the shapes', () => {
    expect(() => new Linear(3, 2).forward(ones([4, 5]))).toThrow('[Linear] expected input [..., 3], got [4,5]');
    expect(() => new Linear(0, 2)).toThrow('[Linear] inFeatures must be a positive integer, got 0');
    expect(() => new LayerNorm([3]).forward(ones([2, 4]))).toThrow('[LayerNorm] expected input [..., 3], got [2,4]');
    expect(() => new Conv2d(3, 4, 3).forward(ones([1, 2, 5, 5]))).toThrow('[conv2d] weight [4,3,3,3] expects 3 input channels (groups=1), got x=[1,2,5,5]');
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow('[Conv2d] inChannels 3 and outChannels 4 must be divisible by groups 2');
    expect(() => new MaxPool2d(2).forward(ones([2, 4]))).toThrow('[maxPool2d] expected a 4-D input [N,C,H,W], got [2,4]');
    expect(() => new MaxPool2d(5).forward(ones([1, 1, 3, 3]))).toThrow('[maxPool2d] input [1,1,3,3] is too small');
  });

  it('a small CNN runs end to end and every parameter gets a gradient', () => {
    manualSeed(4);
    const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3));
    const y = net.forward(randn([2, 1, 8, 8]));
    expect(y.shape).toEqual([2, 3]);
    y.square().sum().backward();
    expect(net.parameters().every((p) => p.grad !== null && p.grad.abs().sum().item() > 0)).toBe(true);
  });
});

describe('Sequential releases the results it passes between children', () => {
  /** Records what each child received, to check afterwards whether those tensors were disposed. */
  class Spy extends Module {
    seen: Tensor[] = [];
    forward(x: Tensor): Tensor {
      this.seen.push(x);
      return x.mul(2);
    }
  }
  /** Returns its own parameter whatever the input: a result made before the forward, never released. */
  class Constant extends Module {
    w = parameter(ones([2]));
    forward(): Tensor {
      return this.w;
    }
  }
  const x = tensor([[1, -2], [3, 4]], { dtype: 'float32' });

  it('under noGrad at once, keeping the input and the output', () => {
    const spy = new Spy();
    const net = new Sequential(new Linear(2, 2), new ReLU(), new Dropout(0.5).eval(), spy);
    const y = noGrad(() => net.forward(x));
    expect(spy.seen[0].disposed).toBe(true); // the ReLU result (Dropout passed it through unchanged)
    expect(x.disposed).toBe(false);
    expect(y.disposed).toBe(false);
  });

  it('with a graph, when backward frees it; values and gradients are unchanged', () => {
    manualSeed(3);
    const spy = new Spy();
    const net = new Sequential(new Linear(2, 3), new ReLU(), spy, new Linear(3, 1));
    const y = net.forward(x);
    const inner = spy.seen[0];
    expect(inner.disposed).toBe(false);
    const ref = net[0].forward(x).relu().mul(2);
    y.sum().backward();
    expect(inner.disposed).toBe(true);
    expect(y.disposed).toBe(false);
    const w = net[3] as Linear;
    const expected = ref.sum(0).toArray() as number[];
    (w.weight.grad!.toArray() as number[][])[0].forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
  });

  it('never releases a tensor that existed before the forward', () => {
    const c = new Constant();
    const net = new Sequential(c, new ReLU());
    noGrad(() => net.forward(x));
    expect(c.w.disposed).toBe(false);
    net.forward(x).sum().backward();
    expect(c.w.disposed).toBe(false);
    expect(c.w.grad!.toArray()).toEqual([1, 1]);
  });
});
