import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contiguousStrides, type Backend, type View } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import { createWasmBackend, createWasmBackendSync, defaultWasmUrl, type WasmBackend, type WasmStorage } from './index';
import { sizeClass } from './heap';

let b: WasmBackend;
beforeAll(async () => {
  b = await createWasmBackend();
});

const view = (storage: WasmStorage, shape: number[], o: Partial<View> = {}): View<WasmStorage> => ({
  storage, dtype: storage.dtype, shape, strides: contiguousStrides(shape), offset: 0, ...(o as Partial<View<WasmStorage>>),
});
const f32 = (data: number[]): WasmStorage => {
  const s = b.alloc('float32', data.length);
  b.write(s, 'float32', 0, Float32Array.from(data));
  return s;
};

describe('loading', () => {
  it('loads from bytes, a compiled module and synchronously, each with its own memory', async () => {
    const bytes = readFileSync(defaultWasmUrl());
    const fromBytes = await createWasmBackend({ bytes });
    const fromModule = createWasmBackendSync({ module: new WebAssembly.Module(bytes) });
    const sync = createWasmBackendSync();
    for (const x of [fromBytes, fromModule, sync]) {
      expect(x.name).toBe('wasm');
      const s = x.alloc('int32', 2);
      x.write(s, 'int32', 0, Int32Array.from([7, -8]));
      expect(Array.from(x.read(s, 'int32', 0, 2))).toEqual([7, -8]);
    }
    const s = fromBytes.alloc('float32', 1);
    expect(() => sync.kernels.unary('neg', view(s, [1]), view(s, [1]))).toThrow('[unary] out is not a storage of this wasm backend');
  });

  it('reports a bad url or bad bytes as a load error', async () => {
    await expect(createWasmBackend({ url: '/nonexistent/nabla.wasm' })).rejects.toThrow(/^\[createWasmBackend\] could not load nabla.wasm/);
    await expect(createWasmBackend({ bytes: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) })).rejects.toThrow(/could not load/);
  });
});

describe('storage', () => {
  it('is zero-filled when a freed block is reused', () => {
    const s = f32([1, 2, 3, 4, 5]);
    b.free(s);
    const t = b.alloc('float32', 5);
    expect(t.ptr).toBe(s.ptr);
    expect(Array.from(b.read(t, 'float32', 0, 5))).toEqual([0, 0, 0, 0, 0]);
    b.free(t);
  });

  it('grows memory as needed and keeps earlier data', () => {
    const keep = f32([1.5, -2]);
    const before = b.heap().memoryBytes;
    const big = b.alloc('float64', 4 << 20); // 32 MiB
    expect(b.heap().memoryBytes).toBeGreaterThan(before);
    expect(Array.from(b.read(keep, 'float32', 0, 2))).toEqual([1.5, -2]);
    b.kernels.unary('neg', view(keep, [2]), view(keep, [2]));
    expect(Array.from(b.read(keep, 'float32', 0, 2))).toEqual([-1.5, 2]);
    b.free(big);
    b.free(keep);
  });

  it('reuses freed blocks, so a loop of alloc/free does not grow memory', () => {
    b.free(b.alloc('float32', 100_000));
    const before = b.heap().memoryBytes;
    for (let i = 0; i < 2000; i++) b.free(b.alloc('float32', 100_000));
    expect(b.heap().memoryBytes).toBe(before);
  });

  it('rounds sizes to 64-byte classes, then to quarter powers of two', () => {
    expect([0, 1, 64, 65, 4096, 4097, 5000, 6000].map(sizeClass)).toEqual([64, 64, 64, 128, 4096, 5120, 5120, 6144]);
  });

  it('refuses impossible sizes and bad reads/writes cleanly', () => {
    expect(() => b.alloc('float32', 2 ** 40)).toThrow(/^\[alloc\] size must be an integer/);
    expect(() => b.alloc('float32', -1)).toThrow(/^\[alloc\]/);
    expect(() => b.alloc('float32', 1.5)).toThrow(/^\[alloc\]/);
    const s = b.alloc('float32', 4);
    expect(() => b.write(s, 'float32', 2, new Float32Array(3))).toThrow('[write] elements [2, 5) are outside a storage of 4 elements');
    expect(() => b.write(s, 'int32', 0, new Int32Array(1))).toThrow('[write] storage holds float32, not int32');
    expect(() => b.write(s, 'float32', 0, new Float64Array(1) as never)).toThrow('[write] data must be a Float32Array');
    expect(() => b.read(s, 'float32', -1, 2)).toThrow(/^\[read\]/);
    b.free(s);
    expect(() => b.read(s, 'float32', 0, 1)).toThrow('[read] storage was freed');
  });
});

describe('validation before memory is touched', () => {
  it('rejects views that reach outside their storage', () => {
    const x = f32([1, 2, 3, 4]);
    const out = b.alloc('float32', 4);
    expect(() => b.kernels.unary('exp', view(out, [4]), view(x, [4], { offset: 1 }))).toThrow(
      '[unary] x (shape [4], strides [1], offset 1) reaches elements [1, 4] outside its storage of 4 elements',
    );
    expect(() => b.kernels.unary('exp', view(out, [2]), view(x, [2], { strides: [4] }))).toThrow(/reaches elements \[0, 4\]/);
    expect(() => b.kernels.unary('exp', view(out, [2]), view(x, [2], { strides: [-1] }))).toThrow(/reaches elements \[-1, 0\]/);
    expect(() => b.kernels.unary('exp', view(out, [2, 2]), view(x, [2, 2], { strides: [2, 1.5] }))).toThrow(/invalid shape/);
    // a negative stride that stays inside is fine: reversal
    b.kernels.copy(view(out, [4]), view(x, [4], { strides: [-1], offset: 3 }));
    expect(Array.from(b.read(out, 'float32', 0, 4))).toEqual([4, 3, 2, 1]);
  });

  it('rejects freed storage, foreign objects, dtype lies and mismatched shapes', () => {
    const x = f32([1, 2]);
    const out = b.alloc('float32', 2);
    const dead = f32([1, 2]);
    b.free(dead);
    b.free(dead); // twice is a no-op
    expect(() => b.kernels.unary('neg', view(out, [2]), view(dead, [2]))).toThrow('[unary] x: storage was freed');
    const fake = { ptr: 0, dtype: 'float32', size: 1e9, owner: {}, freed: false } as unknown as WasmStorage;
    expect(() => b.kernels.unary('neg', view(out, [2]), view(fake, [2]))).toThrow('[unary] x is not a storage of this wasm backend');
    expect(() => b.kernels.unary('neg', view(out, [2]), { ...view(x, [2]), dtype: 'float64' })).toThrow('[unary] x has dtype float64 but its storage holds float32');
    expect(() => b.kernels.unary('neg', view(out, [1]), view(x, [2]))).toThrow('[unary] x shape [2] does not match out shape [1]');
    expect(() => b.kernels.unary('nope' as never, view(out, [2]), view(x, [2]))).toThrow(/^\[unary\] unknown op nope/);
  });

  it('checks matmul, conv and reduce geometry', () => {
    const a = b.alloc('float32', 6);
    const o = b.alloc('float32', 100);
    expect(() => b.kernels.matmul(view(o, [1, 2, 2]), view(a, [1, 2, 3]), view(a, [1, 2, 3]))).toThrow(
      '[matmul] shapes do not fit [B,M,K] @ [B,K,N] -> [B,M,N]: a=[1,2,3] b=[1,2,3] out=[1,2,2]',
    );
    const p = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } as const;
    expect(() => b.kernels.conv2d(view(o, [1, 1, 3, 3]), view(a, [1, 1, 2, 3]), view(a, [1, 1, 1, 1]), p)).toThrow(/^\[conv2d\] inconsistent shapes/);
    expect(() => b.kernels.conv2d(view(o, [1, 1, 2, 3]), view(a, [1, 1, 2, 3]), view(a, [1, 1, 1, 1]), { ...p, stride: [0, 1] })).toThrow(/^\[conv2d\] conv parameters/);
    expect(() => b.kernels.reduce('sum', view(o, [1, 3]), view(a, [2, 3]), [0, 0])).toThrow(/^\[reduce\] axes \[0,0\] must be unique/);
    expect(() => b.kernels.reduce('sum', view(o, [2, 1]), view(a, [2, 3]), [0])).toThrow('[reduce] out shape [2,1] must be [1,3]');
  });

  it('throws on out-of-range indices and targets without writing', () => {
    const x = f32([1, 2, 3, 4]);
    const t = b.alloc('int32', 2);
    b.write(t, 'int32', 0, Int32Array.from([0, 7]));
    const out = b.alloc('float32', 2);
    expect(() => b.fused.softmaxCrossEntropy(view(out, [2]), view(x, [2, 2]), view(t, [2]))).toThrow(
      '[softmaxCrossEntropy] target 7 out of range for 2 classes',
    );
  });
});

describe('kernels', () => {
  it('runs a linear + relu with bias through the shared GEMM', () => {
    const x = f32([1, 2, 3, 4, 5, 6]); // [2,3]
    const w = f32([1, 0, -1, 0.5, 0.5, 0.5]); // [2,3]
    const bias = f32([0.5, -10]);
    const out = b.alloc('float32', 4);
    b.fused.linear(view(out, [2, 2]), view(x, [2, 3]), view(w, [2, 3]), view(bias, [2]), 'relu');
    expect(Array.from(b.read(out, 'float32', 0, 4))).toEqual([0, 0, 0, 0]);
    b.fused.linear(view(out, [2, 2]), view(x, [2, 3]), view(w, [2, 3]), null, 'none');
    expect(Array.from(b.read(out, 'float32', 0, 4))).toEqual([-2, 3, -2, 7.5]);
  });

  it('matches the core random stream', () => {
    const s = b.alloc('float32', 3);
    b.kernels.fillRandom(view(s, [3]), 'uniform', 42, 0);
    const again = b.alloc('float32', 3);
    b.kernels.fillRandom(view(again, [3]), 'uniform', 42 + 2 ** 32, 0); // seeds are taken modulo 2^32
    expect(Array.from(b.read(s, 'float32', 0, 3))).toEqual(Array.from(b.read(again, 'float32', 0, 3)));
  });

  it('computes dense float32 exp in SIMD within 2 ulp of the correctly rounded value, specials exact', () => {
    const xs = [NaN, Infinity, -Infinity, 0, -0, 88.72, 88.7229, 89, 100, -87.3, -95, -103.9, -104, -1000, 1e-8];
    for (let i = 0; i < 2000; i++) xs.push(-110 + (200 * i) / 2000);
    const x = f32(xs);
    const out = b.alloc('float32', xs.length);
    b.kernels.unary('exp', view(out, [xs.length]), view(x, [xs.length]));
    const got = b.read(out, 'float32', 0, xs.length);
    const want = Float32Array.from(Float32Array.from(xs), (v) => Math.exp(v));
    const ulp = (v: number): number => {
      const a = Math.abs(v);
      return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
    };
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(want[i]) || !Number.isFinite(want[i]) || want[i] === 0) expect(got[i], `exp(${xs[i]})`).toBe(want[i]);
      else expect(Math.abs(got[i] - want[i]) / ulp(want[i]), `exp(${xs[i]})`).toBeLessThanOrEqual(2);
    }
  });

  it('runs the README example', () => {
    const a = b.alloc('float32', 6);
    b.write(a, 'float32', 0, new Float32Array([1, 2, 3, 4, 5, 6]));
    const out = b.alloc('float32', 3);
    b.kernels.reduce('sum', { storage: out, dtype: 'float32', shape: [1, 3], strides: [3, 1], offset: 0 },
      { storage: a, dtype: 'float32', shape: [2, 3], strides: [3, 1], offset: 0 }, [0]);
    expect(Array.from(b.read(out, 'float32', 0, 3))).toEqual([5, 7, 9]);
  });

  it('float32 softmax cross-entropy on wide rows (float32x4 exp) stays within 1e-5 of the reference', () => {
    const js = createJsBackend();
    const [N, C] = [16, 1000];
    const data = Float32Array.from({ length: N * C }, (_, i) => 4 * Math.sin(i * 12.9898) * Math.cos(i * 0.37));
    data[5] = -Infinity; // a -inf logit only drops out of the sum
    const target = Int32Array.from({ length: N }, (_, i) => (i * 97) % C);
    const grad = Float32Array.from({ length: N }, (_, i) => 0.5 + i / N);
    const run = (be: Backend): Float32Array[] => {
      const put = (dtype: 'float32' | 'int32', d: Float32Array | Int32Array, shape: number[]): View => {
        const s: unknown = be.alloc(dtype, d.length);
        be.write(s, dtype, 0, d);
        return { storage: s, dtype, shape, strides: contiguousStrides(shape), offset: 0 };
      };
      const x = put('float32', data, [N, C]);
      const t = put('int32', target, [N]);
      const g = put('float32', grad, [N]);
      const loss = put('float32', new Float32Array(N), [N]);
      const dx = put('float32', new Float32Array(N * C), [N, C]);
      const sm = put('float32', new Float32Array(N * C), [N, C]);
      be.fused!.softmaxCrossEntropy!(loss, x, t);
      be.fused!.softmaxCrossEntropyBackward!(dx, x, t, g);
      be.fused!.logSoftmax!(sm, x);
      return [loss, dx, sm].map((v) => be.read(v.storage, 'float32', 0, numel(v.shape)));
    };
    const numel = (s: readonly number[]) => s.reduce((a, c) => a * c, 1);
    const want = run(js);
    const got = run(b);
    want.forEach((w, k) => {
      for (let i = 0; i < w.length; i++) {
        if (!Number.isFinite(w[i])) expect(got[k][i]).toBe(w[i]);
        else expect(Math.abs(got[k][i] - w[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w[i])));
      }
    });
  });
});

