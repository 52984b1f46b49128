/** createNativeBackend: the Backend contract over the C kernels of csrc/, one descriptor write per operand. */
import {
  ARG_REDUCE_OPS, BINARY_OPS, FUSED_KERNELS, KERNELS, NablaError, RANDOM_DISTRIBUTIONS, REDUCE_OPS, UNARY_OPS,
  type Backend, type DType, type FusedKernels, type Kernels, type TypedArray, type TypedArrayMap,
} from '@nabla/core';
import { availableParallelism } from 'node:os';
import { loadAddon, type Addon } from './addon';
import { DTYPE_CODE, Descriptor, NativeStorage } from './descriptor';

export const ISAS = ['avx512', 'avx2', 'sse2'] as const;
export type Isa = (typeof ISAS)[number];

export interface NativeBackendOptions {
  /** Threads for large kernels; default NABLA_NUM_THREADS, else the machine's available parallelism. */
  readonly threads?: number;
  /** Force an ISA build (default: the best this CPU runs, or NABLA_ISA). */
  readonly isa?: Isa;
}

const codes = <T extends string>(list: readonly T[]): Record<T, number> =>
  Object.fromEntries(list.map((name, i) => [name, i])) as Record<T, number>;
const KERNEL = codes([...KERNELS, ...FUSED_KERNELS]);
const UNARY = codes(UNARY_OPS);
const BINARY = codes(BINARY_OPS);
const REDUCE = codes(REDUCE_OPS);
const ARG = codes(ARG_REDUCE_OPS);
const DIST = codes(RANDOM_DISTRIBUTIONS);

/** Turns the addon's `[op] message` errors into NablaErrors. */
function asNablaError(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  const m = /^\[([^\]]+)\] ([\s\S]*)$/.exec(e.message);
  return m ? new NablaError(m[1], m[2]) : e;
}

function defaultThreads(): number {
  const env = Number(process.env.NABLA_NUM_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : availableParallelism();
}

/** True when the addon loads on this machine (it can still be forced off with NABLA_BACKEND). */
export function nativeAvailable(): boolean {
  try {
    loadAddon();
    return true;
  } catch {
    return false;
  }
}

/** NABLA_NATIVE_PROFILE=1: time spent per kernel, printed to stderr when the process exits. */
function profiler(): (kernel: number, ms: number) => void {
  const names = [...KERNELS, ...FUSED_KERNELS];
  const total = new Float64Array(names.length);
  const calls = new Float64Array(names.length);
  process.on('exit', () => {
    const rows = names.map((n, i) => [n, total[i], calls[i]] as const).filter((r) => r[2] > 0).sort((a, b) => b[1] - a[1]);
    for (const [n, ms, c] of rows) process.stderr.write(`native ${n}: ${ms.toFixed(1)} ms in ${c} calls (${((ms * 1000) / c).toFixed(1)} us each)\n`);
  });
  return (kernel, ms) => {
    total[kernel] += ms;
    calls[kernel]++;
  };
}

// One descriptor per process, handed to the addon once: every call rewrites it before running (calls are synchronous).
let descriptor: Descriptor | undefined;
function shared(addon: Addon): Descriptor {
  if (!descriptor) {
    descriptor = new Descriptor();
    addon.setDescriptor(descriptor.buf);
  }
  return descriptor;
}

/**
 * The native backend: C kernels compiled per ISA (AVX-512, AVX2, SSE2, chosen at load time),
 * 64-byte aligned storage in ArrayBuffers (V8 owns and collects them), and a thread pool for large kernels.
 * Throws an Error saying why when the addon cannot load.
 * @example
 * import { createNativeBackend } from '@nabla/backend-native';
 * const be = createNativeBackend({ threads: 2 });
 * const h = be.alloc('float32', 4);
 * be.write(h, 'float32', 0, new Float32Array([1, 2, 3, 4]));
 * be.kernels.unary('exp', { storage: h, dtype: 'float32', shape: [4], strides: [1], offset: 0 },
 *                  { storage: h, dtype: 'float32', shape: [4], strides: [1], offset: 0 });
 * be.read(h, 'float32', 0, 4); // Float32Array [e, e^2, e^3, e^4]
 */
export function createNativeBackend(options: NativeBackendOptions = {}): Backend<NativeStorage> {
  const addon: Addon = loadAddon();
  const available = addon.isas() as Isa[];
  const wanted = options.isa ?? (process.env.NABLA_ISA as Isa | undefined) ?? available[0];
  if (!available.includes(wanted)) {
    throw new NablaError('createNativeBackend', `ISA ${wanted} is not available here (available: ${available.join(', ')})`);
  }
  const isa = ISAS.indexOf(wanted);
  const threads = Math.max(1, Math.min(64, Math.floor(options.threads ?? defaultThreads())));
  const d = shared(addon);

  const profile = process.env.NABLA_NATIVE_PROFILE ? profiler() : null;
  const b = d.bufs;
  // Only the buffers this call uses cross (C reads one ArrayBuffer per argument).
  const runWith = (kernel: number): void => {
    switch (d.count) {
      case 1: return addon.run(kernel, isa, threads, b[0]);
      case 2: return addon.run(kernel, isa, threads, b[0], b[1]);
      case 3: return addon.run(kernel, isa, threads, b[0], b[1], b[2]);
      case 4: return addon.run(kernel, isa, threads, b[0], b[1], b[2], b[3]);
      default: return addon.run(kernel, isa, threads, b[0], b[1], b[2], b[3], b[4]);
    }
  };
  const run = (kernel: number): void => {
    const t0 = profile ? performance.now() : 0;
    try {
      runWith(kernel);
    } catch (e) {
      d.clear();
      throw asNablaError(e);
    }
    d.clear();
    if (profile) profile(kernel, performance.now() - t0);
  };
  const call = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw asNablaError(e);
    }
  };

  const kernels: Kernels<NativeStorage> = {
    unary(op, out, x) {
      d.reset().num(UNARY[op] ?? -1).view('unary', out).view('unary', x);
      run(KERNEL.unary);
    },
    binary(op, out, a, b) {
      d.reset().num(BINARY[op] ?? -1).view('binary', out).view('binary', a).view('binary', b);
      run(KERNEL.binary);
    },
    where(out, cond, a, b) {
      d.reset().view('where', out).view('where', cond).view('where', a).view('where', b);
      run(KERNEL.where);
    },
    reduce(op, out, x, axes) {
      d.reset().num(REDUCE[op] ?? -1).view('reduce', out).view('reduce', x).num(axes.length);
      for (const a of axes) d.num(a);
      run(KERNEL.reduce);
    },
    argReduce(op, out, x, axis) {
      d.reset().num(ARG[op] ?? -1).view('argReduce', out).view('argReduce', x).num(axis);
      run(KERNEL.argReduce);
    },
    cast(out, x) {
      d.reset().view('cast', out).view('cast', x);
      run(KERNEL.cast);
    },
    copy(out, x) {
      d.reset().view('copy', out).view('copy', x);
      run(KERNEL.copy);
    },
    matmul(out, a, b) {
      d.reset().view('matmul', out).view('matmul', a).view('matmul', b);
      run(KERNEL.matmul);
    },
    gather(out, x, dim, index) {
      d.reset().view('gather', out).view('gather', x).num(dim).view('gather', index);
      run(KERNEL.gather);
    },
    scatterAdd(out, dim, index, src) {
      d.reset().view('scatterAdd', out).num(dim).view('scatterAdd', index).view('scatterAdd', src);
      run(KERNEL.scatterAdd);
    },
    fillRandom(out, dist, seed, counter) {
      d.reset().view('fillRandom', out).num(DIST[dist] ?? -1).num(seed).num(counter);
      run(KERNEL.fillRandom);
    },
    conv2d(out, x, w, p) {
      d.reset().view('conv2d', out).view('conv2d', x).view('conv2d', w);
      convParams(p);
      run(KERNEL.conv2d);
    },
    conv2dBackwardInput(out, dy, w, p) {
      d.reset().view('conv2dBackwardInput', out).view('conv2dBackwardInput', dy).view('conv2dBackwardInput', w);
      convParams(p);
      run(KERNEL.conv2dBackwardInput);
    },
    conv2dBackwardWeight(out, x, dy, p) {
      d.reset().view('conv2dBackwardWeight', out).view('conv2dBackwardWeight', x).view('conv2dBackwardWeight', dy);
      convParams(p);
      run(KERNEL.conv2dBackwardWeight);
    },
    maxPool2d(out, indices, x, p) {
      d.reset().view('maxPool2d', out).view('maxPool2d', indices).view('maxPool2d', x);
      poolParams(p);
      run(KERNEL.maxPool2d);
    },
    avgPool2d(out, x, p) {
      d.reset().view('avgPool2d', out).view('avgPool2d', x);
      poolParams(p);
      run(KERNEL.avgPool2d);
    },
    avgPool2dBackward(out, dy, p) {
      d.reset().view('avgPool2dBackward', out).view('avgPool2dBackward', dy);
      poolParams(p);
      run(KERNEL.avgPool2dBackward);
    },
  };

  function convParams(p: Parameters<Kernels<NativeStorage>['conv2d']>[3]): void {
    d.num(p.stride[0]).num(p.stride[1]).num(p.padding[0]).num(p.padding[1]).num(p.dilation[0]).num(p.dilation[1]).num(p.groups);
  }
  function poolParams(p: Parameters<Kernels<NativeStorage>['avgPool2d']>[2]): void {
    d.num(p.kernel[0]).num(p.kernel[1]).num(p.stride[0]).num(p.stride[1]).num(p.padding[0]).num(p.padding[1]);
    d.num(p.dilation[0]).num(p.dilation[1]).num(p.countIncludePad ? 1 : 0);
  }

  const fused: FusedKernels<NativeStorage> = {
    softmax(out, x) {
      d.reset().view('softmax', out).view('softmax', x);
      run(KERNEL.softmax);
    },
    logSoftmax(out, x) {
      d.reset().view('logSoftmax', out).view('logSoftmax', x);
      run(KERNEL.logSoftmax);
    },
    softmaxCrossEntropy(out, x, target) {
      d.reset().view('softmaxCrossEntropy', out).view('softmaxCrossEntropy', x).view('softmaxCrossEntropy', target);
      run(KERNEL.softmaxCrossEntropy);
    },
    softmaxCrossEntropyBackward(out, x, target, gradLoss) {
      const op = 'softmaxCrossEntropyBackward';
      d.reset().view(op, out).view(op, x).view(op, target).view(op, gradLoss);
      run(KERNEL.softmaxCrossEntropyBackward);
    },
    linear(out, x, w, bias, activation) {
      d.reset().view('linear', out).view('linear', x).view('linear', w).num(bias ? 1 : 0);
      if (bias) d.view('linear', bias);
      d.num(activation === 'relu' ? 1 : 0);
      run(KERNEL.linear);
    },
    sgdUpdate(param, grad, buf, o) {
      d.reset().view('sgdUpdate', param).view('sgdUpdate', grad).num(buf ? 1 : 0);
      if (buf) d.view('sgdUpdate', buf);
      d.num(o.lr).num(o.momentum).num(o.dampening).num(o.nesterov ? 1 : 0).num(o.weightDecay).num(o.hasBuffer ? 1 : 0);
      run(KERNEL.sgdUpdate);
    },
    adamUpdate(param, grad, m, v, o) {
      d.reset().view('adamUpdate', param).view('adamUpdate', grad).view('adamUpdate', m).view('adamUpdate', v);
      d.num(o.lr).num(o.beta1).num(o.beta2).num(o.eps).num(o.weightDecay).num(o.decoupled ? 1 : 0).num(o.step);
      run(KERNEL.adamUpdate);
    },
  };

  // Counted here as the JS backend counts its arrays: storage dropped without free() is reclaimed by the
  // collector and stays counted (tensor's memory() tracks collected tensors).
  let buffers = 0;
  let bytes = 0;
  const nothing = new ArrayBuffer(0);
  const parts = (s: unknown): [ArrayBuffer, number, number] =>
    s instanceof NativeStorage ? [s.buf, s.dtype, s.size] : [nothing, -1, 0];
  const backend = {
    name: 'native',
    capabilities: { dtypes: ['float32', 'float64', 'int32', 'bool'] as DType[], threads, isa: wanted, collectable: true },
    alloc(dtype: DType, size: number): NativeStorage {
      const code = DTYPE_CODE[dtype] ?? -1;
      const length = call(() => addon.allocBytes(code, size));
      let buf: ArrayBuffer;
      try {
        buf = new ArrayBuffer(length); // zero-filled; V8 accounts it and frees it when unreachable
      } catch {
        throw new NablaError('alloc', `out of memory allocating ${length - 64} bytes`);
      }
      buffers++;
      bytes += length;
      return new NativeStorage(buf, code, size);
    },
    free(storage: NativeStorage): void {
      if (!(storage instanceof NativeStorage)) return;
      const length = storage.buf.byteLength;
      if (addon.free(storage.buf)) {
        buffers--;
        bytes -= length;
      }
    },
    write(storage: NativeStorage, dtype: DType, offset: number, data: TypedArray): void {
      const [buf, sd, ss] = parts(storage);
      call(() => addon.write(buf, sd, ss, DTYPE_CODE[dtype] ?? -1, offset, data));
    },
    read<D extends DType>(storage: NativeStorage, dtype: D, offset: number, size: number): TypedArrayMap[D] {
      const [buf, sd, ss] = parts(storage);
      return call(() => addon.read(buf, sd, ss, DTYPE_CODE[dtype] ?? -1, offset, size)) as TypedArrayMap[D];
    },
    kernels,
    fused,
    memory: () => ({ buffers, bytes }),
  } satisfies Backend<NativeStorage>;
  return backend;
}
