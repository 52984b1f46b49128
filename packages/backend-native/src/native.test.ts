import { describe, expect, it } from 'vitest';
import { FUSED_KERNELS, KERNELS, normalAtPair, uniformAt, type View } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import { NativeStorage, createNativeBackend, nativeAvailable } from './index';
import { loadAddon, loadAddonFrom } from './addon';

const be = createNativeBackend();
const js = createJsBackend();
const dense = (storage: NativeStorage, dtype: View['dtype'], shape: number[]): View<NativeStorage> => {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { storage, dtype, shape, strides, offset: 0 };
};

describe('native backend', () => {
  it('loads and describes itself', () => {
    expect(nativeAvailable()).toBe(true);
    expect(be.name).toBe('native');
    expect(['avx512', 'avx2', 'sse2']).toContain(be.capabilities.isa);
    expect(be.capabilities.dtypes).toEqual(['float32', 'float64', 'int32', 'bool']);
  });

  it('says why when the addon cannot load', () => {
    expect(() => loadAddonFrom('/nonexistent/nabla')).toThrow(/could not be loaded .*prebuild for linux-x64/);
  });

  it("numbers kernels exactly as the C dispatch table does", () => {
    expect(loadAddon().kernelNames()).toEqual([...KERNELS, ...FUSED_KERNELS]);
  });

  it('allocates zero-filled storage and rejects impossible sizes cleanly', () => {
    const h = be.alloc('float64', 1000);
    expect(Array.from(be.read(h, 'float64', 0, 1000)).every((x) => x === 0)).toBe(true);
    be.free(h);
    expect(() => be.alloc('float32', 2 ** 40)).toThrow(/^\[alloc\] cannot allocate 1099511627776 elements/);
    expect(() => be.alloc('float32', -1)).toThrow(/^\[alloc\] size must be a non-negative integer/);
  });

  it('a freed handle errors instead of touching memory, and a second free is a no-op', () => {
    const h = be.alloc('float32', 4);
    const live = be.memory!();
    be.free(h);
    expect(h.buf.byteLength).toBe(0); // detached: the memory went back at once, not at the next collection
    be.free(h);
    expect(be.memory!().buffers).toBe(live.buffers - 1);
    const v = dense(h, 'float32', [4]);
    expect(() => be.kernels.unary('exp', v, v)).toThrow('[unary] storage of out was freed');
    expect(() => be.read(h, 'float32', 0, 4)).toThrow(/^\[read\] storage of the handle was freed/);
    // a new allocation may reuse the slot, never the handle
    const h2 = be.alloc('float32', 4);
    expect(h2).not.toBe(h);
    expect(() => be.read(h, 'float32', 0, 4)).toThrow(/was freed/);
    be.free(h2);
  });

  it('rejects views that reach outside their storage, with shapes in the message', () => {
    const h = be.alloc('float32', 6);
    const ok = dense(h, 'float32', [2, 3]);
    const bad = { ...ok, offset: 1 };
    expect(() => be.kernels.unary('neg', ok, bad)).toThrow(/^\[unary\] x \(shape \[2,3\], offset 1\) reaches elements \[1, 6\] outside its storage of 6 elements$/);
    expect(() => be.kernels.copy(ok, { ...ok, dtype: 'int32' })).toThrow('[copy] x has dtype int32 but its storage holds float32');
    be.free(h);
  });

  it('refuses forged handles: a size the buffer cannot hold, a bad dtype code, a foreign or detached buffer', () => {
    const out = be.alloc('float32', 8);
    const o = dense(out, 'float32', [8]);
    const forged = (buf: ArrayBuffer, dtype: number, size: number) => dense(new NativeStorage(buf, dtype, size), 'float32', [8]);
    // 100 floats claimed over at most 80 usable bytes; a buffer shorter than the alignment pad
    expect(() => be.kernels.unary('neg', o, forged(new ArrayBuffer(80), 0, 100))).toThrow(/^\[unary\] x is not a storage handle of this backend/);
    expect(() => be.kernels.unary('neg', o, forged(new ArrayBuffer(40), 0, 8))).toThrow(/^\[unary\] x is not a storage handle of this backend/);
    expect(() => be.kernels.unary('neg', o, forged(new ArrayBuffer(1 << 10), 9, 8))).toThrow(/^\[unary\] storage dtype code must be/);
    expect(() => be.kernels.unary('neg', o, forged(new ArrayBuffer(8), 0, 0))).toThrow(/^\[unary\] /);
    const detached = new ArrayBuffer(1 << 10);
    structuredClone(detached, { transfer: [detached] });
    expect(() => be.kernels.unary('neg', o, forged(detached, 0, 8))).toThrow('[unary] storage of x was freed');
    expect(() => be.read(new NativeStorage(new ArrayBuffer(80), 0, 100), 'float32', 0, 8)).toThrow(/^\[read\] /);
    // a fitting foreign buffer is memory-safe to use (V8 keeps it alive for the call)
    const foreign = new NativeStorage(new ArrayBuffer(64 + 32), 0, 8);
    be.write(foreign, 'float32', 0, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    be.kernels.unary('neg', o, dense(foreign, 'float32', [8]));
    expect(Array.from(be.read(out, 'float32', 0, 8))).toEqual([-1, -2, -3, -4, -5, -6, -7, -8]);
    be.free(out);
  });

  it('fillRandom reproduces core random.ts bit for bit (float32) and to the last ulps (float64)', () => {
    const n = 1000;
    const h32 = be.alloc('float32', n);
    const h64 = be.alloc('float64', n);
    for (const dist of ['uniform', 'normal'] as const) {
      be.kernels.fillRandom(dense(h32, 'float32', [n]), dist, 1234, 99);
      be.kernels.fillRandom(dense(h64, 'float64', [n]), dist, 1234, 99);
      const want = Array.from({ length: n }, (_, i) => (dist === 'uniform' ? uniformAt(1234, 99 + i) : normalAtPair(1234, 99 + 2 * i)));
      expect(Array.from(be.read(h32, 'float32', 0, n))).toEqual(Array.from(Float32Array.from(want)));
      const got64 = be.read(h64, 'float64', 0, n);
      want.forEach((w, i) => expect(Math.abs(got64[i] - w)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(w))));
    }
    be.free(h32);
    be.free(h64);
  });

  it('large kernels split over threads give the same bits as one thread', () => {
    const one = createNativeBackend({ threads: 1 });
    const two = createNativeBackend({ threads: 2 });
    const n = 300_000;
    const x = one.alloc('float32', n);
    one.kernels.fillRandom(dense(x, 'float32', [n]), 'normal', 7, 0);
    const outs = [one, two].map((b) => {
      const o = b.alloc('float32', n);
      b.kernels.unary('gelu', dense(o, 'float32', [n]), dense(x, 'float32', [n]));
      const m = b.alloc('float32', 300 * 300);
      b.kernels.matmul(dense(m, 'float32', [1, 300, 300]), dense(x, 'float32', [1, 300, 1000]), dense(x, 'float32', [1, 1000, 300]));
      const r = [b.read(o, 'float32', 0, n), b.read(m, 'float32', 0, 90000)];
      b.free(o);
      b.free(m);
      return r;
    });
    expect(outs[1][0]).toEqual(outs[0][0]);
    expect(outs[1][1]).toEqual(outs[0][1]);
    one.free(x);
  });

  it('full reductions split over threads agree with the reference', () => {
    const two = createNativeBackend({ threads: 2 });
    const n = 400_000;
    const ints = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 201) - 100);
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      for (const op of ['sum', 'prod', 'max', 'min'] as const) {
        const run = (b: typeof be) => {
          const x = b.alloc(dtype, n);
          const o = b.alloc(dtype, 1);
          if (dtype === 'int32') b.write(x, dtype, 0, ints);
          else b.kernels.fillRandom(dense(x, dtype, [n]), op === 'prod' ? 'uniform' : 'normal', 5, 0);
          b.kernels.reduce(op, { ...dense(o, dtype, [1, 1]) }, { ...dense(x, dtype, [400, 1000]) }, [0, 1]);
          return b.read(o, dtype, 0, 1)[0];
        };
        const got = run(two);
        const want = run(js as never);
        const tol = dtype === 'int32' ? 0 : (dtype === 'float32' ? 1e-6 : 1e-12) * Math.max(1, Math.abs(want));
        expect(Math.abs(got - want), `${op} ${dtype}: ${got} vs ${want}`).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('matmul agrees with the reference on odd, strided and transposed shapes', () => {
    for (const [B, M, K, N] of [[1, 1, 1, 1], [2, 15, 17, 33], [1, 64, 300, 70], [3, 29, 1, 31]]) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const run = (b: typeof be) => {
          const a = b.alloc(dtype, B * M * K);
          const w = b.alloc(dtype, B * K * N);
          const o = b.alloc(dtype, B * M * N);
          b.kernels.fillRandom(dense(a, dtype, [B * M * K]), 'normal', 1, 0);
          b.kernels.fillRandom(dense(w, dtype, [B * K * N]), 'normal', 2, 0);
          // b read transposed: [B,K,N] view over [B,N,K] storage
          b.kernels.matmul(dense(o, dtype, [B, M, N]), dense(a, dtype, [B, M, K]), { storage: w, dtype, shape: [B, K, N], strides: [K * N, 1, K], offset: 0 });
          return Array.from(b.read(o, dtype, 0, B * M * N));
        };
        const got = run(be);
        const want = run(js as never);
        const tol = dtype === 'float32' ? 1e-4 : 1e-12;
        got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]))));
      }
    }
  });
});

describe('worker threads', () => {
  it('the addon loads in a worker and runs kernels concurrently with the main thread', async () => {
    const { Worker } = await import('node:worker_threads');
    const { createRequire } = await import('node:module');
    const root = new URL('..', import.meta.url).pathname;
    const gypBuild = createRequire(import.meta.url).resolve('node-gyp-build');
    // The worker drives the raw addon (the TS sources need the test transform): 2000 exps of 4096 floats.
    const code = `
      const { parentPort } = require('node:worker_threads');
      const a = require(${JSON.stringify(gypBuild)})(${JSON.stringify(root)});
      const d = new Float64Array(64); a.setDescriptor(d);
      const h = new ArrayBuffer(a.allocBytes(0, 4096));
      a.write(h, 0, 4096, 0, 0, new Float32Array(4096).fill(0.5));
      // view: slot 0, storage float32 x 4096, dtype float32, rank 1, offset 0, shape [4096], strides [1]
      const view = (p) => { d.set([0, 0, 4096, 0, 1, 0, 4096, 1], p); };
      for (let i = 0; i < 2000; i++) { d[0] = 7; view(1); view(9); a.run(0, 2, 2, h); a.write(h, 0, 4096, 0, 0, new Float32Array(4096).fill(0.5)); }
      d[0] = 7; view(1); view(9); a.run(0, 2, 2, h);
      parentPort.postMessage(a.read(h, 0, 4096, 0, 0, 4096)[4095]);
      a.free(h);`;
    const w = new Worker(code, { eval: true });
    const fromWorker = new Promise<number>((res, rej) => {
      w.on('message', res);
      w.on('error', rej);
    });
    const h = be.alloc('float32', 4096);
    const v = dense(h, 'float32', [4096]);
    for (let i = 0; i < 2000; i++) {
      be.write(h, 'float32', 0, new Float32Array(4096).fill(1));
      be.kernels.unary('exp', v, v);
    }
    expect(be.read(h, 'float32', 4095, 1)[0]).toBeCloseTo(Math.E, 5);
    expect(await fromWorker).toBeCloseTo(Math.exp(0.5), 5);
    await w.terminate();
    be.free(h);
  });
});
