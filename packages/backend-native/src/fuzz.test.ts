import { describe, expect, it } from 'vitest';
import { BINARY_OPS, DTYPES, UNARY_OPS, type Backend, type DType, type View } from '@nabla/core';
import { createNativeBackend } from './index';

// Drives the native boundary with random and hostile calls: every call either works or throws `[op] ...`;
// a crash would take the test process down with it.
const be = createNativeBackend({ threads: 2 }) as Backend<unknown>;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [NaN, -1, 0.5, 1.5, 2 ** 31, 2 ** 32 + 3, 2 ** 53, 2 ** 60, 1e300, Infinity, -Infinity, -(2 ** 53)];

describe('fuzzing the native boundary', () => {
  it('random and hostile kernel calls only ever throw [op] errors', () => {
    const rnd = mulberry32(20240607);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const live: { h: unknown; dtype: DType; size: number }[] = [];
    for (const dtype of DTYPES) for (const size of [0, 1, 7, 64, 300]) live.push({ h: be.alloc(dtype, size), dtype, size });
    const freed = be.alloc('float32', 16);
    be.free(freed);

    const hostileView = (): View<unknown> => {
      const s = pick(live);
      const rank = rnd() < 0.05 ? 17 : int(0, 5);
      const shape = Array.from({ length: rank }, () => (rnd() < 0.1 ? pick(HOSTILE) : int(0, 4)));
      const strides = Array.from({ length: rank }, () => (rnd() < 0.1 ? pick(HOSTILE) : int(-6, 6)));
      const storage = rnd() < 0.1 ? pick([freed, ...HOSTILE]) : s.h;
      const dtype = rnd() < 0.05 ? ('float16' as DType) : rnd() < 0.8 ? s.dtype : pick(DTYPES);
      return { storage, dtype, shape, strides, offset: rnd() < 0.1 ? pick(HOSTILE) : int(0, 80) };
    };
    // Views built to fit their storage (negative, zero and odd strides), so kernels really run on them.
    const fittingView = (rank = int(0, 4), dtype?: DType): View<unknown> => {
      const cands = live.filter((l) => l.size >= 7 && (!dtype || l.dtype === dtype));
      for (;;) {
        const s = pick(cands);
        const shape = Array.from({ length: rank }, () => int(0, 4));
        const strides = shape.map(() => int(-3, 3));
        let lo = 0;
        let hi = 0;
        shape.forEach((d, i) => (strides[i] < 0 ? (lo += (d - 1) * strides[i]) : (hi += Math.max(0, d - 1) * strides[i])));
        const offset = -lo + int(0, 5);
        if (offset + hi < s.size) return { storage: s.h, dtype: s.dtype, shape, strides, offset };
      }
    };
    const anyView = (rank?: number, dtype?: DType) => (rnd() < 0.3 ? hostileView() : fittingView(rank, dtype));
    const pair = () => [int(-1, 3), int(-1, 3)] as [number, number];
    const conv = () => ({ stride: pair(), padding: pair(), dilation: pair(), groups: int(0, 3) });
    const pool = () => ({ kernel: pair(), stride: pair(), padding: pair(), dilation: pair(), countIncludePad: rnd() < 0.5 });
    const k = be.kernels;
    const f = be.fused!;
    const calls: (() => void)[] = [
      () => k.unary(pick(UNARY_OPS), anyView(), anyView()),
      () => {
        const v = fittingView();
        k.unary(pick(UNARY_OPS), { ...v }, v);
      },
      () => k.binary(pick(BINARY_OPS), anyView(), anyView(), anyView()),
      () => k.where(anyView(), anyView(), anyView(), anyView()),
      () => k.reduce(pick(['sum', 'prod', 'max', 'min'] as const), anyView(), anyView(), [int(-1, 4), int(0, 5)]),
      () => k.argReduce(pick(['argmax', 'argmin'] as const), anyView(), anyView(), int(-1, 4)),
      () => k.cast(anyView(), anyView()),
      () => k.copy(anyView(), anyView()),
      () => k.matmul(anyView(3), anyView(3), anyView(3)),
      () => k.gather(anyView(), anyView(), int(-1, 3), anyView(undefined, 'int32')),
      () => k.scatterAdd(anyView(), int(-1, 3), anyView(undefined, 'int32'), anyView()),
      () => k.fillRandom(anyView(), pick(['uniform', 'normal'] as const), int(0, 2 ** 32), rnd() < 0.1 ? pick(HOSTILE) : int(0, 1e6)),
      () => k.conv2d(anyView(4), anyView(4), anyView(4), conv()),
      () => k.conv2dBackwardInput(anyView(4), anyView(4), anyView(4), conv()),
      () => k.conv2dBackwardWeight(anyView(4), anyView(4), anyView(4), conv()),
      () => k.maxPool2d(anyView(4), anyView(4, 'int32'), anyView(4), pool()),
      () => k.avgPool2d(anyView(4), anyView(4), pool()),
      () => k.avgPool2dBackward(anyView(4), anyView(4), pool()),
      () => f.softmax!(anyView(), anyView()),
      () => f.logSoftmax!(anyView(), anyView()),
      () => f.softmaxCrossEntropy!(anyView(1), anyView(2), anyView(1, 'int32')),
      () => f.softmaxCrossEntropyBackward!(anyView(2), anyView(2), anyView(1, 'int32'), anyView(1)),
      () => f.linear!(anyView(2), anyView(2), anyView(2), rnd() < 0.5 ? anyView(1) : null, pick(['none', 'relu'] as const)),
      () => f.sgdUpdate!(anyView(), anyView(), rnd() < 0.5 ? anyView() : null, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: rnd() < 0.5, weightDecay: 0.01, hasBuffer: rnd() < 0.5 }),
      () => f.adamUpdate!(anyView(), anyView(), anyView(), anyView(), { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true, step: int(0, 3) }),
      () => be.read(rnd() < 0.5 ? pick(live).h : pick([freed, ...HOSTILE]), pick(DTYPES), rnd() < 0.2 ? pick(HOSTILE) : int(0, 70), int(0, 70)),
      () => be.write(pick(live).h, pick(DTYPES), int(-1, 70), pick([new Float32Array(5), new Int32Array(3), new Uint8Array(2), new Float64Array(9)])),
      () => be.alloc(pick(DTYPES), pick([...HOSTILE, 2 ** 40])),
    ];
    let ok = 0;
    let rejected = 0;
    for (let i = 0; i < 6000; i++) {
      try {
        pick(calls)();
        ok++;
      } catch (e) {
        rejected++;
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^\[\w+\] \S/);
      }
    }
    // both outcomes happen: the fuzzer reaches the kernels and the validation
    expect(ok).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
    for (const l of live) be.free(l.h);
  });

  it('broadcast (stride-0) views that describe huge inputs are refused before any scratch is touched', () => {
    const one = be.alloc('float32', 1);
    const out = be.alloc('float32', 1);
    const bcast = (shape: number[]): View<unknown> => ({ storage: one, dtype: 'float32', shape, strides: shape.map(() => 0), offset: 0 });
    const o = { storage: out, dtype: 'float32' as const, shape: [1, 1, 1, 1], strides: [1, 1, 1, 1], offset: 0 };
    const p = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } as const;
    // im2col of a 2^20 x 2^20 kernel over a 2^20 x 2^20 input would need 8.8e12 bytes
    expect(() => be.kernels.conv2d(o, bcast([1, 1, 2 ** 20, 2 ** 20]), bcast([1, 1, 2 ** 20, 2 ** 20]), p)).toThrow(/^\[conv2d\] needs .* bytes of scratch/);
    expect(() => be.kernels.conv2d(o, bcast([1, 1, 2 ** 31, 4]), bcast([1, 1, 1, 1]), p)).toThrow(/^\[conv2d\] input dims must be below 2\^31/);
    const pool = { kernel: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], countIncludePad: true } as const;
    expect(() => be.kernels.avgPool2dBackward(bcast([1, 1, 2 ** 30, 2 ** 30]), bcast([1, 1, 2 ** 30 - 1, 2 ** 30 - 1]), pool)).toThrow(/^\[avgPool2dBackward\] /);
    be.free(one);
    be.free(out);
  });

  it('hostile sizes and handles fail cleanly at alloc, read, write and free', () => {
    for (const size of [2 ** 40, 2 ** 53, 2 ** 60, -1, NaN, 1.5, Infinity]) expect(() => be.alloc('float32', size)).toThrow(/^\[alloc\] /);
    expect(() => be.alloc('float16' as DType, 4)).toThrow(/^\[alloc\] /);
    for (const h of [NaN, -1, 0, 2 ** 53, 1e300]) {
      expect(() => be.read(h, 'float32', 0, 1)).toThrow(/^\[read\] /);
      expect(() => be.free(h)).not.toThrow();
    }
    const h = be.alloc('int32', 4);
    expect(() => be.write(h, 'int32', 2, new Int32Array(3))).toThrow(/^\[write\] range \[2, 5\) is outside/);
    expect(() => be.write(h, 'int32', 0, new Float32Array(1) as never)).toThrow(/^\[write\] data is not the typed array of dtype int32/);
    expect(() => be.read(h, 'int32', 3, 2)).toThrow(/^\[read\] /);
    be.free(h);
  });
});
