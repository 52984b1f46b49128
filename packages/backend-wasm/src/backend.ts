/** The wasm backend object over one instance of nabla.wasm: storage, read/write and every kernel. */
import {
  ARRAY_TYPES, BINARY_OPS, DTYPES, FUSED_KERNELS, KERNELS, NablaError, RANDOM_DISTRIBUTIONS, REDUCE_OPS, UNARY_OPS,
  bytesPerElement, fmtShape,
  type Backend, type DType, type FusedKernelName, type FusedKernels, type KernelName, type Kernels, type TypedArray,
  type TypedArrayMap, type View,
} from '@nabla/core';
import { Heap, MAX_BLOCK } from './heap';
import { WasmStorage } from './storage';
import {
  Encoder, convGeometry, indexGeometry, poolGeometry, sameShape, wantContiguous, wantDtype, wantFloat, wantRank,
} from './validate';

/** What csrc/wasm.c exports. */
interface Exports {
  readonly memory: WebAssembly.Memory;
  descInts(): number;
  descFloats(): number;
  heapBase(): number;
  badIndex(): number;
  workspace(kernel: number): number;
  run(kernel: number, ws: number): number;
}

/** The wasm backend's type: every fused kernel, a memory count, and heap statistics. */
export type WasmBackend = Backend<WasmStorage> & {
  readonly fused: FusedKernels<WasmStorage>;
  memory(): { buffers: number; bytes: number };
  /** Wasm linear memory: total size, bytes in live blocks, bytes cached in free lists. */
  heap(): { memoryBytes: number; liveBytes: number; cachedBytes: number };
};

const DESC_INTS = 512;
const DESC_FLOATS = 16;
const ST_INDEX = 2;

/** Kernel codes shared with csrc/wasm.c: core's KERNELS, then FUSED_KERNELS. */
const code = (k: KernelName | FusedKernelName): number => {
  const i = (KERNELS as readonly string[]).indexOf(k);
  return i >= 0 ? i : KERNELS.length + (FUSED_KERNELS as readonly string[]).indexOf(k);
};
const codes = <T extends string>(list: readonly T[]): Map<string, number> => new Map(list.map((name, i) => [name, i]));
const UNARY = codes(UNARY_OPS);
const BINARY = codes(BINARY_OPS);
const REDUCE = codes(REDUCE_OPS);
const ARG = codes(['argmax', 'argmin']);
const DIST = codes(RANDOM_DISTRIBUTIONS);
const FIRST_BOOLISH = BINARY_OPS.indexOf('eq');

function opCode(op: string, table: Map<string, number>, name: unknown): number {
  const c = table.get(name as string);
  if (c === undefined) throw new NablaError(op, `unknown op ${String(name)}; expected one of ${[...table.keys()].join(', ')}`);
  return c;
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A backend over a fresh instance of the compiled module (its own memory). */
export function instantiate(module: WebAssembly.Module): WasmBackend {
  const ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
  const owner = {};
  let views = {} as Record<DType, TypedArray>;
  let floats = new Float64Array(0);
  const enc = new Encoder(new Int32Array(0), owner);
  // Growing memory detaches every typed array over the old buffer: rebuild them all.
  const refresh = (): void => {
    const buf = ex.memory.buffer;
    views = { float32: new Float32Array(buf), float64: new Float64Array(buf), int32: new Int32Array(buf), bool: new Uint8Array(buf) };
    enc.ints = new Int32Array(buf, ex.descInts(), DESC_INTS);
    floats = new Float64Array(buf, ex.descFloats(), DESC_FLOATS);
  };
  refresh();
  const heap = new Heap(ex.memory, ex.heapBase(), refresh);

  let buffers = 0;
  let bytes = 0;
  const release = (ptr: number, n: number): void => {
    heap.free(ptr, n);
    buffers--;
    bytes -= n;
  };
  // No FinalizationRegistry here: @nabla/tensor already frees the storage of collected tensors
  // through its own, and a second registration per alloc cost ~0.5 µs (a third of a tiny op).

  const take = (op: string, n: number): number => {
    const ptr = heap.alloc(n);
    if (ptr < 0) throw new NablaError(op, `out of wasm memory allocating ${n} bytes (memory is ${ex.memory.buffer.byteLength} bytes)`);
    return ptr;
  };

  // One scratch block for GEMM packing and conv columns, grown on demand.
  let wsPtr = 0;
  let wsBytes = 0;
  const workspace = (op: string, n: number): number => {
    if (n > wsBytes) {
      if (wsBytes) heap.free(wsPtr, wsBytes);
      wsBytes = 0;
      wsPtr = take(op, n);
      wsBytes = n;
    }
    return wsPtr;
  };

  /** Runs the encoded call; `range` sizes the index error message of gather/scatterAdd/cross-entropy. */
  const run = (k: number, ws = 0, indexError?: (bad: number) => string): void => {
    const st = ex.run(k, ws);
    if (st === 0) return;
    if (st === ST_INDEX && indexError) throw new NablaError(enc.op, indexError(ex.badIndex()));
    throw new NablaError(enc.op, `unsupported dtype for this kernel (status ${st})`);
  };
  const runWs = (k: number): void => run(k, workspace(enc.op, ex.workspace(k)));

  const K = {
    unary: code('unary'), binary: code('binary'), where: code('where'), reduce: code('reduce'), argReduce: code('argReduce'),
    cast: code('cast'), copy: code('copy'), matmul: code('matmul'), gather: code('gather'), scatterAdd: code('scatterAdd'),
    fillRandom: code('fillRandom'), conv2d: code('conv2d'), conv2dBackwardInput: code('conv2dBackwardInput'),
    conv2dBackwardWeight: code('conv2dBackwardWeight'), maxPool2d: code('maxPool2d'), avgPool2d: code('avgPool2d'),
    avgPool2dBackward: code('avgPool2dBackward'), softmax: code('softmax'), logSoftmax: code('logSoftmax'),
    softmaxCrossEntropy: code('softmaxCrossEntropy'), softmaxCrossEntropyBackward: code('softmaxCrossEntropyBackward'),
    linear: code('linear'), sgdUpdate: code('sgdUpdate'), adamUpdate: code('adamUpdate'),
  };

  const storageOf = (op: string, s: unknown, dtype: DType): WasmStorage => {
    if (!WasmStorage.is(s) || s.owner !== owner) throw new NablaError(op, 'not a storage of this wasm backend');
    if (s.freed) throw new NablaError(op, 'storage was freed');
    if (s.dtype !== dtype) throw new NablaError(op, `storage holds ${s.dtype}, not ${dtype}`);
    return s;
  };
  const range = (op: string, s: WasmStorage, offset: number, n: number): void => {
    if (!Number.isInteger(offset) || !Number.isInteger(n) || offset < 0 || n < 0 || offset + n > s.size) {
      throw new NablaError(op, `elements [${offset}, ${offset + n}) are outside a storage of ${s.size} elements`);
    }
  };

  const kernels: Kernels<WasmStorage> = {
    unary(op, out, x) {
      enc.start('unary').int(opCode('unary', UNARY, op)).view('out', out).view('x', x);
      sameShape('unary', x, 'x', out, 'out');
      wantDtype('unary', out, 'out', x.dtype);
      run(K.unary);
    },
    binary(op, out, a, b) {
      const c = opCode('binary', BINARY, op);
      enc.start('binary').int(c).view('out', out).view('a', a).view('b', b);
      sameShape('binary', a, 'a', out, 'out');
      sameShape('binary', b, 'b', out, 'out');
      wantDtype('binary', b, 'b', a.dtype);
      if (out.dtype !== a.dtype && !(c >= FIRST_BOOLISH && out.dtype === 'bool')) {
        throw new NablaError('binary', `out must be ${a.dtype}${c >= FIRST_BOOLISH ? ' or bool' : ''}, got ${out.dtype}`);
      }
      run(K.binary);
    },
    where(out, cond, a, b) {
      enc.start('where').view('out', out).view('cond', cond).view('a', a).view('b', b);
      for (const [v, n] of [[cond, 'cond'], [a, 'a'], [b, 'b']] as const) sameShape('where', v, n, out, 'out');
      wantDtype('where', cond, 'cond', 'bool');
      wantDtype('where', a, 'a', out.dtype);
      wantDtype('where', b, 'b', out.dtype);
      run(K.where);
    },
    reduce(op, out, x, axes) {
      enc.start('reduce').int(opCode('reduce', REDUCE, op)).view('out', out).view('x', x);
      let mask = 0;
      for (const a of axes) {
        if (!Number.isInteger(a) || a < 0 || a >= x.shape.length || mask & (1 << a)) {
          throw new NablaError('reduce', `axes ${fmtShape(axes)} must be unique dims of x ${fmtShape(x.shape)}`);
        }
        mask |= 1 << a;
      }
      const want = x.shape.map((d, i) => (mask & (1 << i) ? 1 : d));
      if (fmtShape(want) !== fmtShape(out.shape)) throw new NablaError('reduce', `out shape ${fmtShape(out.shape)} must be ${fmtShape(want)}`);
      enc.int(mask);
      run(K.reduce);
    },
    argReduce(op, out, x, axis) {
      enc.start('argReduce').int(opCode('argReduce', ARG, op)).view('out', out).view('x', x);
      const nd = x.shape.length;
      if (!Number.isInteger(axis) || axis < 0 || axis > Math.max(nd - 1, 0)) throw new NablaError('argReduce', `axis ${axis} out of range for x ${fmtShape(x.shape)}`);
      wantDtype('argReduce', out, 'out', 'int32');
      const want = x.shape.map((d, i) => (i === axis ? 1 : d));
      if (fmtShape(want) !== fmtShape(out.shape)) throw new NablaError('argReduce', `out shape ${fmtShape(out.shape)} must be ${fmtShape(want)}`);
      if (nd > 0 && x.shape[axis] === 0 && numel(out.shape) > 0) throw new NablaError('argReduce', 'cannot take the index of an empty axis');
      enc.int(axis);
      run(K.argReduce);
    },
    cast(out, x) {
      enc.start('cast').view('out', out).view('x', x);
      sameShape('cast', x, 'x', out, 'out');
      run(K.cast);
    },
    copy(out, x) {
      enc.start('copy').view('out', out).view('x', x);
      sameShape('copy', x, 'x', out, 'out');
      wantDtype('copy', x, 'x', out.dtype);
      run(K.copy);
    },
    matmul(out, a, b) {
      enc.start('matmul').view('out', out).view('a', a).view('b', b);
      for (const [v, n] of [[out, 'out'], [a, 'a'], [b, 'b']] as const) wantRank('matmul', v, n, 3);
      wantDtype('matmul', b, 'b', a.dtype);
      wantDtype('matmul', out, 'out', a.dtype);
      const [as, bs, os] = [a.shape, b.shape, out.shape];
      if (as[0] !== bs[0] || as[2] !== bs[1] || os[0] !== as[0] || os[1] !== as[1] || os[2] !== bs[2]) {
        throw new NablaError('matmul', `shapes do not fit [B,M,K] @ [B,K,N] -> [B,M,N]: a=${fmtShape(as)} b=${fmtShape(bs)} out=${fmtShape(os)}`);
      }
      runWs(K.matmul);
    },
    gather(out, x, dim, index) {
      enc.start('gather').view('out', out).view('x', x);
      indexGeometry('gather', x, 'x', index, dim);
      enc.int(dim).view('index', index);
      wantDtype('gather', index, 'index', 'int32');
      wantDtype('gather', out, 'out', x.dtype);
      sameShape('gather', index, 'index', out, 'out');
      const size = x.shape.length ? x.shape[dim] : 1;
      run(K.gather, 0, (bad) => `index ${bad} out of range for dim ${dim} of size ${size}`);
    },
    scatterAdd(out, dim, index, src) {
      enc.start('scatterAdd').view('out', out);
      indexGeometry('scatterAdd', out, 'out', index, dim);
      enc.int(dim).view('index', index).view('src', src);
      wantDtype('scatterAdd', index, 'index', 'int32');
      wantDtype('scatterAdd', src, 'src', out.dtype);
      sameShape('scatterAdd', src, 'src', index, 'index');
      const size = out.shape.length ? out.shape[dim] : 1;
      run(K.scatterAdd, 0, (bad) => `index ${bad} out of range for dim ${dim} of size ${size}`);
    },
    fillRandom(out, dist, seed, counter) {
      enc.start('fillRandom').view('out', out).int(opCode('fillRandom', DIST, dist));
      if (!Number.isInteger(seed) || !Number.isInteger(counter)) throw new NablaError('fillRandom', `seed and counter must be integers, got ${seed}, ${counter}`);
      // The stream is defined modulo 2^32 (core's random.ts); ToUint32 then reinterpret as int32.
      enc.int(seed >>> 0).int(counter >>> 0);
      run(K.fillRandom);
    },
    conv2d(out, x, w, p) {
      enc.start('conv2d').view('out', out).view('x', x).view('w', w).conv(p);
      convCommon('conv2d', out, [x, w], x, w, out, p);
      runWs(K.conv2d);
    },
    conv2dBackwardInput(out, dy, w, p) {
      enc.start('conv2dBackwardInput').view('out', out).view('dy', dy).view('w', w).conv(p);
      convCommon('conv2dBackwardInput', out, [dy, w], out, w, dy, p);
      runWs(K.conv2dBackwardInput);
    },
    conv2dBackwardWeight(out, x, dy, p) {
      enc.start('conv2dBackwardWeight').view('out', out).view('x', x).view('dy', dy).conv(p);
      convCommon('conv2dBackwardWeight', out, [x, dy], x, out, dy, p);
      runWs(K.conv2dBackwardWeight);
    },
    maxPool2d(out, indices, x, p) {
      enc.start('maxPool2d').view('out', out).view('indices', indices).view('x', x).pool(p);
      wantDtype('maxPool2d', indices, 'indices', 'int32');
      wantDtype('maxPool2d', out, 'out', x.dtype);
      sameShape('maxPool2d', indices, 'indices', out, 'out');
      poolGeometry('maxPool2d', x, out);
      run(K.maxPool2d);
    },
    avgPool2d(out, x, p) {
      enc.start('avgPool2d').view('out', out).view('x', x).pool(p);
      wantDtype('avgPool2d', out, 'out', x.dtype);
      poolGeometry('avgPool2d', x, out);
      run(K.avgPool2d);
    },
    avgPool2dBackward(out, dy, p) {
      enc.start('avgPool2dBackward').view('out', out).view('dy', dy).pool(p);
      wantDtype('avgPool2dBackward', dy, 'dy', out.dtype);
      poolGeometry('avgPool2dBackward', out, dy);
      runWs(K.avgPool2dBackward);
    },
  };

  function convCommon(op: string, out: View, ins: readonly View[], x: View, w: View, y: View, p: Parameters<Kernels<WasmStorage>['conv2d']>[3]): void {
    for (const v of ins) wantDtype(op, v, 'operand', out.dtype);
    wantContiguous(op, out, 'out');
    convGeometry(op, x, w, y, p);
  }

  const softmaxLike = (op: 'softmax' | 'logSoftmax', out: View, x: View): void => {
    enc.start(op).view('out', out).view('x', x);
    wantFloat(op, x, 'x');
    wantDtype(op, out, 'out', x.dtype);
    sameShape(op, x, 'x', out, 'out');
    wantContiguous(op, x, 'x');
    wantContiguous(op, out, 'out');
    run(K[op]);
  };
  const sceCommon = (op: string, out: View, x: View, target: View): void => {
    wantFloat(op, x, 'x');
    wantRank(op, x, 'x', 2);
    wantContiguous(op, x, 'x');
    wantDtype(op, target, 'target', 'int32');
    wantRank(op, target, 'target', 1);
    wantDtype(op, out, 'out', x.dtype);
    wantContiguous(op, out, 'out');
    if (target.shape[0] !== x.shape[0]) throw new NablaError(op, `target has ${target.shape[0]} rows, logits ${x.shape[0]}`);
  };
  const optimizerViews = (op: string, vs: readonly (readonly [View | null, string])[]): void => {
    const first = vs[0][0] as View;
    for (const [v, n] of vs) {
      if (!v) continue;
      wantFloat(op, v, n);
      wantContiguous(op, v, n);
      wantDtype(op, v, n, first.dtype);
      sameShape(op, v, n, first, vs[0][1]);
    }
  };
  const flag = (op: string, name: string, x: unknown): number => {
    if (typeof x !== 'boolean') throw new NablaError(op, `${name} must be a boolean, got ${String(x)}`);
    return x ? 1 : 0;
  };

  const fused: FusedKernels<WasmStorage> = {
    softmax: (out, x) => softmaxLike('softmax', out, x),
    logSoftmax: (out, x) => softmaxLike('logSoftmax', out, x),
    softmaxCrossEntropy(out, x, target) {
      const op = 'softmaxCrossEntropy';
      enc.start(op).view('out', out).view('x', x).view('target', target);
      sceCommon(op, out, x, target);
      wantRank(op, out, 'out', 1);
      if (out.shape[0] !== x.shape[0]) throw new NablaError(op, `out must have one entry per row of x ${fmtShape(x.shape)}, got ${fmtShape(out.shape)}`);
      run(K.softmaxCrossEntropy, 0, (bad) => `target ${bad} out of range for ${x.shape[1]} classes`);
    },
    softmaxCrossEntropyBackward(out, x, target, gradLoss) {
      const op = 'softmaxCrossEntropyBackward';
      enc.start(op).view('out', out).view('x', x).view('target', target).view('gradLoss', gradLoss);
      sceCommon(op, out, x, target);
      sameShape(op, out, 'out', x, 'x');
      wantDtype(op, gradLoss, 'gradLoss', x.dtype);
      sameShape(op, gradLoss, 'gradLoss', target, 'target');
      run(K.softmaxCrossEntropyBackward, 0, (bad) => `target ${bad} out of range for ${x.shape[1]} classes`);
    },
    linear(out, x, w, bias, activation) {
      const op = 'linear';
      enc.start(op).view('out', out).view('x', x).view('w', w).int(bias ? 1 : 0);
      if (bias) enc.view('bias', bias);
      if (activation !== 'none' && activation !== 'relu') throw new NablaError(op, `activation must be 'none' or 'relu', got ${String(activation)}`);
      enc.int(activation === 'relu' ? 1 : 0);
      wantFloat(op, x, 'x');
      for (const [v, n] of [[x, 'x'], [w, 'w'], [out, 'out']] as const) wantRank(op, v, n, 2);
      wantDtype(op, w, 'w', x.dtype);
      wantDtype(op, out, 'out', x.dtype);
      wantContiguous(op, out, 'out');
      if (x.shape[1] !== w.shape[1] || out.shape[0] !== x.shape[0] || out.shape[1] !== w.shape[0]) {
        throw new NablaError(op, `shapes do not fit x [M,K], w [N,K] -> out [M,N]: x=${fmtShape(x.shape)} w=${fmtShape(w.shape)} out=${fmtShape(out.shape)}`);
      }
      if (bias) {
        wantDtype(op, bias, 'bias', x.dtype);
        wantRank(op, bias, 'bias', 1);
        if (bias.shape[0] !== w.shape[0]) throw new NablaError(op, `bias must have ${w.shape[0]} entries, got ${fmtShape(bias.shape)}`);
      }
      runWs(K.linear);
    },
    sgdUpdate(param, grad, buf, o) {
      const op = 'sgdUpdate';
      enc.start(op).view('param', param).view('grad', grad).int(buf ? 1 : 0);
      if (buf) enc.view('momentumBuffer', buf);
      enc.int(flag(op, 'nesterov', o.nesterov)).int(flag(op, 'hasBuffer', o.hasBuffer));
      optimizerViews(op, [[param, 'param'], [grad, 'grad'], [buf, 'momentumBuffer']]);
      floats.set([o.lr, o.momentum, o.dampening, o.weightDecay]);
      run(K.sgdUpdate);
    },
    adamUpdate(param, grad, m, v, o) {
      const op = 'adamUpdate';
      enc.start(op).view('param', param).view('grad', grad).view('m', m).view('v', v);
      if (!Number.isInteger(o.step) || o.step < 1 || o.step > 2147483647) throw new NablaError(op, `step must be an integer >= 1, got ${o.step}`);
      enc.int(flag(op, 'decoupled', o.decoupled)).int(o.step);
      optimizerViews(op, [[param, 'param'], [grad, 'grad'], [m, 'm'], [v, 'v']]);
      floats.set([o.lr, o.beta1, o.beta2, o.eps, o.weightDecay]);
      run(K.adamUpdate);
    },
  };

  const backend = {
    name: 'wasm',
    capabilities: { dtypes: DTYPES, threads: 1, isa: 'simd128' },
    alloc(dtype: DType, size: number): WasmStorage {
      if (!(dtype in ARRAY_TYPES)) throw new NablaError('alloc', `unsupported dtype ${String(dtype)}`);
      const n = size * bytesPerElement(dtype);
      if (!Number.isInteger(size) || size < 0 || n > MAX_BLOCK) {
        throw new NablaError('alloc', `size must be an integer in [0, ${Math.floor(MAX_BLOCK / bytesPerElement(dtype))}] elements of ${dtype}, got ${size}`);
      }
      const ptr = take('alloc', n);
      const s = new WasmStorage(owner, ptr, dtype, size, n);
      buffers++;
      bytes += n;
      return s;
    },
    free(storage: WasmStorage): void {
      if (!WasmStorage.is(storage) || storage.owner !== owner || storage.freed) return; // freed twice or foreign: nothing to do
      storage.freed = true;
      release(storage.ptr, storage.bytes);
    },
    write(storage: WasmStorage, dtype: DType, offset: number, data: TypedArray): void {
      const s = storageOf('write', storage, dtype);
      if (!(data instanceof ARRAY_TYPES[dtype])) throw new NablaError('write', `data must be a ${ARRAY_TYPES[dtype].name} for ${dtype}`);
      range('write', s, offset, data.length);
      (views[dtype] as TypedArrayMap[typeof dtype]).set(data as never, s.ptr / bytesPerElement(dtype) + offset);
    },
    read<D extends DType>(storage: WasmStorage, dtype: D, offset: number, size: number): TypedArrayMap[D] {
      const s = storageOf('read', storage, dtype);
      range('read', s, offset, size);
      const start = s.ptr / bytesPerElement(dtype) + offset;
      return views[dtype].slice(start, start + size) as TypedArrayMap[D];
    },
    kernels,
    fused,
    memory: () => ({ buffers, bytes }),
    heap: () => ({ memoryBytes: ex.memory.buffer.byteLength, liveBytes: heap.inUse, cachedBytes: heap.cached }),
  } satisfies WasmBackend;
  return backend;
}
