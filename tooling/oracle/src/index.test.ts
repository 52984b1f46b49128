import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Arg, type EncodedTensor, type FixtureFile, type OpCase,
  decodeNumber, decodeTensor, fixturePath, isInputRef, loadFixtures, numel, resolveArgs,
} from './index';

const DTYPES = ['float32', 'float64', 'int32', 'bool'];

/** A tensor is well formed: known dtype, integer shape, data length = shape product, values fit the dtype. */
function expectTensor(t: EncodedTensor, where: string): void {
  expect(DTYPES, where).toContain(t.dtype);
  expect(t.shape.every((s) => Number.isInteger(s) && s >= 0), where).toBe(true);
  expect(t.data.length, `${where}: data length vs shape [${t.shape}]`).toBe(numel(t.shape));
  const values = decodeTensor(t).data;
  if (t.dtype === 'bool') expect(values.every((v) => v === 0 || v === 1), where).toBe(true);
  if (t.dtype === 'int32') expect(values.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31), where).toBe(true);
}

function inputRefs(a: Arg): number[] {
  if (isInputRef(a)) return [a.input];
  if (Array.isArray(a)) return a.flatMap(inputRefs);
  if (a !== null && typeof a === 'object') return Object.values(a).flatMap(inputRefs);
  return [];
}

/** The invariants every op case keeps; returns nothing, throws on the first broken one. */
function expectOpCase(c: OpCase): void {
  expect(['method', 'function']).toContain(c.call.kind);
  expect(c.call.name).toMatch(/^[a-z][A-Za-z0-9]*$/); // nabla's camelCase names
  c.inputs.forEach((t, i) => expectTensor(t, `${c.name} inputs[${i}]`));
  expectTensor(c.output, `${c.name} output`);
  for (const r of c.args.flatMap(inputRefs)) expect(r, c.name).toBeLessThan(c.inputs.length);
  if (c.grads === undefined) {
    expect(c.gradOutput, c.name).toBeUndefined();
    return;
  }
  expect(c.gradOutput, c.name).toBeDefined();
  expectTensor(c.gradOutput!, `${c.name} gradOutput`);
  expect(c.gradOutput!.shape, c.name).toEqual(c.output.shape);
  expect(c.grads.length, c.name).toBe(c.inputs.length);
  c.grads.forEach((g, i) => {
    expect(g === null, `${c.name} grads[${i}] null iff input has no requiresGrad`).toBe(!c.inputs[i].requiresGrad);
    if (g === null) return;
    expectTensor(g, `${c.name} grads[${i}]`);
    expect(g.shape).toEqual(c.inputs[i].shape);
    expect(g.dtype).toEqual(c.inputs[i].dtype);
  });
}

function byName(file: FixtureFile, name: string): OpCase {
  const c = file.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
}

const values = (t: EncodedTensor | null | undefined): number[] => decodeTensor(t!).data;

describe('decoding', () => {
  it('turns the non-finite strings back into numbers', () => {
    expect(decodeNumber('NaN')).toBeNaN();
    expect(decodeNumber('Infinity')).toBe(Infinity);
    expect(decodeNumber('-Infinity')).toBe(-Infinity);
    expect(decodeNumber(-2.5)).toBe(-2.5);
    expect(() => decodeNumber('inf' as never)).toThrow('[decodeNumber] expected a number');
    expect(decodeTensor({ dtype: 'float32', shape: [3], data: [1, 'NaN', '-Infinity'] }).data).toEqual([1, NaN, -Infinity]);
  });

  it('resolves input references inside lists and option objects, and null to undefined', () => {
    const args: Arg[] = [[{ input: 0 }, { input: 1 }], 1, null, { weight: { input: 1 }, reduction: 'sum' }];
    expect(resolveArgs(args, ['a', 'b'])).toEqual([['a', 'b'], 1, undefined, { weight: 'b', reduction: 'sum' }]);
    expect(() => resolveArgs([{ input: 2 }], ['a'])).toThrow('[resolveArgs] input 2 out of range');
  });
});

describe('tensor fixtures', () => {
  const file = loadFixtures('tensor');

  it('records the torch version and unique case names', () => {
    expect(file.group).toBe('tensor');
    expect(file.torch).toMatch(/^1\.13/);
    expect(new Set(file.cases.map((c) => c.name)).size).toBe(file.cases.length);
    expect(file.cases.length).toBeGreaterThan(400);
  });

  it('covers every op the tensor API lists', () => {
    const ops = new Set(file.cases.map((c) => c.call.name));
    const expected = `add sub mul div pow neg abs sign exp log log1p expm1 sqrt rsqrt square reciprocal sin cos tanh
      sigmoid logSigmoid relu leakyRelu gelu softplus erf clamp minimum maximum floor ceil round eq ne lt le gt ge
      logicalAnd logicalOr logicalNot where sum mean prod max min amax amin argmax argmin var std logSumExp softmax
      logSoftmax matmul reshape permute transpose expand narrow select slice flatten squeeze unsqueeze cat stack split
      chunk gather scatterAdd indexSelect oneHot`.split(/\s+/);
    expect(expected.filter((op) => !ops.has(op))).toEqual([]);
  });

  it('keeps torch semantics at the edges: |x|\' = relu\' = 0 at 0, round half to even, int/int true division', () => {
    // torch writes these zeros as 0 * gradOutput, so they may be -0: compare by value, not Object.is.
    expect(Math.abs(values(byName(file, 'abs/float32/edge').grads![0])[2])).toBe(0);
    expect(Math.abs(values(byName(file, 'relu/float64/edge').grads![0])[1])).toBe(0);
    expect(values(byName(file, 'round/float32/edge').output).slice(0, 6)).toEqual([-2, -2, -0, 0, 2, 2]);
    const div = byName(file, 'promote/div/int32/int32');
    expect(div.output.dtype).toBe('float32');
    expect(values(div.output).some((v) => !Number.isInteger(v))).toBe(true);
    expect(values(byName(file, 'reciprocal/float32/edge').output).slice(0, 2)).toEqual([Infinity, -Infinity]);
  });

  it('gives integer results as int32 and comparisons as bool, without grads', () => {
    expect(byName(file, 'argmax/float32/[2,3,4]/dim=1').output.dtype).toBe('int32');
    expect(byName(file, 'sum/bool/[3,4]/dim=1').output.dtype).toBe('int32');
    const lt = byName(file, 'lt/float32/[3,1],[4]');
    expect(lt.output).toMatchObject({ dtype: 'bool', shape: [3, 4] });
    expect(lt.grads).toBeUndefined();
  });
});

describe('losses fixtures', () => {
  const file = loadFixtures('losses');

  it('cover every loss in float32 and float64, as function calls (input, target, options?)', () => {
    const fns = `crossEntropy nllLoss binaryCrossEntropy binaryCrossEntropyWithLogits klDiv mseLoss l1Loss lpLoss
      huberLoss smoothL1Loss`.split(/\s+/);
    for (const fn of fns) {
      for (const dtype of ['float32', 'float64']) {
        expect(file.cases.some((c) => c.call.name === fn && c.inputs[0].dtype === dtype), `${fn} ${dtype}`).toBe(true);
      }
    }
    for (const c of file.cases) {
      expect(c.call.kind).toBe('function');
      expect(c.args.slice(0, 2)).toEqual([{ input: 0 }, { input: 1 }]);
    }
  });

  it('keeps extreme logits finite and clamps BCE logs at -100', () => {
    const ce = byName(file, 'crossEntropy/float32/[3,3]/large');
    expect(values(ce.output).every(Number.isFinite)).toBe(true);
    expect(values(ce.grads![0]).every(Number.isFinite)).toBe(true);
    expect(values(byName(file, 'binaryCrossEntropy/float64/edge01/reduction=none').output).slice(0, 3)).toEqual([0, 100, 100]);
  });
});

describe.each(['tensor', 'losses', 'layers'])('%s op cases', (group) => {
  const file = loadFixtures(group);

  it('are consistent', () => {
    expect(file.torch).toMatch(/^1\.13/);
    expect(new Set(file.cases.map((c) => c.name)).size).toBe(file.cases.length);
    for (const c of file.cases) expectOpCase(c);
  });

  it('have informative gradients: no all-zero grad outside the listed exceptions', () => {
    const allowed = new Set(['relu/float32/[]']); // a negative rank-0 input: relu' = 0 is the point
    const zero = file.cases.filter((c) => !allowed.has(c.name) &&
      (c.grads ?? []).some((g) => g !== null && values(g).every((v) => v === 0)));
    expect(zero.map((c) => c.name)).toEqual([]);
  });
});

describe('optimizers fixtures', () => {
  const file = loadFixtures('optimizers');
  const shapes = file.problem.params.map((p) => p.shape);

  it('describe one problem with two params and matching c, w', () => {
    expect(shapes).toEqual([[3, 4], [4]]);
    expect(file.problem.c.map((t) => t.shape)).toEqual(shapes);
    expect(file.problem.w.map((t) => t.shape)).toEqual(shapes);
    for (const t of [...file.problem.params, ...file.problem.c, ...file.problem.w]) expectTensor(t, 'problem');
    expect(new Set(file.cases.map((c) => c.name)).size).toBe(file.cases.length);
  });

  it('record at least 10 steps per optimizer, with params shaped like the problem', () => {
    const kinds = new Set<string>();
    for (const c of file.cases) {
      if (c.kind !== 'optimizer') continue;
      kinds.add(c.optimizer);
      expect(c.params.length, c.name).toBeGreaterThanOrEqual(10);
      expect(c.losses.length, c.name).toBe(c.params.length);
      for (const step of c.params) expect(step.map((t) => t.shape)).toEqual(shapes);
    }
    expect([...kinds].sort()).toEqual(['Adagrad', 'Adam', 'AdamW', 'RMSprop', 'SGD']);
  });

  it('record the lr after construction and after each scheduler step', () => {
    const kinds = new Set<string>();
    for (const c of file.cases) {
      if (c.kind !== 'scheduler') continue;
      kinds.add(c.scheduler);
      expect(c.lrs.length, c.name).toBeGreaterThan(8);
      if (c.metrics) expect(c.lrs.length).toBe(c.metrics.length + 1);
    }
    expect(kinds.size).toBe(6);
    const step = file.cases.find((c) => c.name === 'StepLR/stepSize=3,gamma=0.5');
    expect(step?.kind === 'scheduler' && step.lrs.slice(0, 5)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05]);
  });

  it('clip gradients to the requested norm or value', () => {
    for (const c of file.cases) {
      if (c.kind === 'clipGradValue') {
        const v = c.options.clipValue as number;
        expect(c.clipped.flatMap((t) => values(t)).every((x) => Math.abs(x) <= v)).toBe(true);
      }
      if (c.kind === 'clipGradNorm' && c.options.normType === 2) {
        const norm = Math.hypot(...c.clipped.flatMap((t) => values(t)));
        expect(norm).toBeLessThanOrEqual((c.options.maxNorm as number) + 1e-5);
      }
    }
  });
});

describe('layers fixtures', () => {
  const file = loadFixtures('layers');

  it('cover the functional conv and pooling ops', () => {
    expect(new Set(file.cases.map((c) => c.call.name))).toEqual(new Set(['conv2d', 'maxPool2d', 'avgPool2d']));
  });

  it('module cases carry consistent state dicts, outputs and grads', () => {
    expect(new Set(file.modules.map((m) => m.name)).size).toBe(file.modules.length);
    for (const m of file.modules) {
      expectTensor(m.input, `${m.name} input`);
      expectTensor(m.output, `${m.name} output`);
      for (const [k, t] of Object.entries({ ...m.stateDict, ...m.stateDictAfter })) expectTensor(t, `${m.name} ${k}`);
      if (m.stateDictAfter) expect(Object.keys(m.stateDictAfter)).toEqual(Object.keys(m.stateDict));
      if (!m.gradOutput) continue;
      expect(m.gradOutput.shape).toEqual(m.output.shape);
      if (m.gradInput) expect(m.gradInput.shape, m.name).toEqual(m.input.shape);
      for (const [k, t] of Object.entries(m.gradParams ?? {})) expect(t.shape, `${m.name} ${k}`).toEqual(m.stateDict[k].shape);
    }
  });

  it('BatchNorm in train mode updates the running stats and counts the batch', () => {
    const bn = file.modules.find((m) => m.name === 'BatchNorm1d/3/[4,3]/train/float32')!;
    expect(values(bn.stateDictAfter!.num_batches_tracked)).toEqual([1]);
    expect(values(bn.stateDictAfter!.running_mean)).not.toEqual(values(bn.stateDict.running_mean));
    const ev = file.modules.find((m) => m.name === 'BatchNorm1d/3/[4,3]/eval/float32')!;
    expect(ev.stateDictAfter).toBeUndefined();
  });
});

describe('safetensors fixtures', () => {
  const file = loadFixtures('safetensors');

  it('mlp.safetensors holds exactly the bytes of its JSON twin, in the documented layout', () => {
    const bytes = readFileSync(fixturePath(file.file));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
    const { __metadata__: metadata, ...entries } = header as { __metadata__: unknown } & Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    expect(metadata).toEqual(file.metadata);
    expect(Object.keys(entries).sort()).toEqual(Object.keys(file.tensors).sort());
    const data = bytes.subarray(8 + n);
    let end = 0;
    for (const [name, e] of Object.entries(entries)) {
      const twin = file.tensors[name];
      expect(e.dtype).toBe('F32');
      expect(e.shape).toEqual(twin.shape);
      const [b, en] = e.data_offsets;
      const f32 = new Float32Array(data.buffer.slice(data.byteOffset + b, data.byteOffset + en));
      expect(Array.from(f32)).toEqual(values(twin));
      end = Math.max(end, en);
    }
    expect(end).toBe(data.length);
  });

  it('has grads for every parameter and an output per input row', () => {
    expect(Object.keys(file.grads).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(file.output.shape).toEqual([file.input.shape[0], 3]);
  });
});

describe('roundtrip evidence (torch read a file nabla wrote)', () => {
  it('torch loaded every tensor and reproduced the fixture output exactly', () => {
    const rt = loadFixtures('roundtrip');
    const st = loadFixtures('safetensors');
    expect(rt.note).toContain('@nabla/io');
    expect(Object.keys(rt.tensors).sort()).toEqual(Object.keys(st.tensors).sort());
    for (const [k, t] of Object.entries(rt.tensors)) expect(t.shape, k).toEqual(st.tensors[k].shape);
    expect(values(rt.output)).toEqual(values(st.output));
    expect(existsSync(fixturePath('nabla-mlp.safetensors'))).toBe(true);
  });
});
