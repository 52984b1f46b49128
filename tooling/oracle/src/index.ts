/** @nabla/oracle: PyTorch golden fixtures (committed JSON) and the helpers that decode them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type FixtureDType = 'float32' | 'float64' | 'int32' | 'bool';

/** JSON has no NaN/Infinity, so non-finite values travel as these strings. */
export type EncodedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A tensor as stored: flat row-major data; bool as 0/1; torch int64 written as int32. */
export interface EncodedTensor {
  dtype: FixtureDType;
  shape: number[];
  data: EncodedNumber[];
  /** On case inputs: whether the test should create the tensor with requiresGrad. */
  requiresGrad?: boolean;
}

export interface DecodedTensor {
  dtype: FixtureDType;
  shape: number[];
  data: number[];
  requiresGrad?: boolean;
}

/** An argument slot that stands for `inputs[input]`. */
export interface InputRef {
  input: number;
}

/** A nabla call argument: plain JSON, where `{ input: i }` means inputs[i] and `null` means `undefined`. */
export type Arg = number | boolean | string | null | InputRef | Arg[] | { [key: string]: Arg };

export interface OpCall {
  /** "method": `inputs[0][name](...args)`; "function": `name(...args)` from the package under test. */
  kind: 'method' | 'function';
  name: string;
  /** Present when the op returns a list (split, chunk): the case checks `result[outputIndex]`. */
  outputIndex?: number;
}

/** One op application: inputs, nabla arguments, torch's output and gradients of sum(output * gradOutput). */
export interface OpCase {
  name: string;
  call: OpCall;
  inputs: EncodedTensor[];
  args: Arg[];
  output: EncodedTensor;
  /** Present (with `grads`) when the op is differentiable. */
  gradOutput?: EncodedTensor;
  /** grads[i] = d sum(output * gradOutput) / d inputs[i]; null where inputs[i] does not require grad. */
  grads?: (EncodedTensor | null)[];
}

export interface FixtureFile<C = OpCase> {
  group: string;
  /** torch.__version__ of the generating run. */
  torch: string;
  cases: C[];
}

export * from './groups';
import type { LayersFile, OptimizersFile, RoundtripFile, SafetensorsFile } from './groups';

/** Every fixture group and the shape of its file. */
export interface FixtureGroups {
  tensor: FixtureFile;
  losses: FixtureFile;
  optimizers: OptimizersFile;
  layers: LayersFile;
  safetensors: SafetensorsFile;
  roundtrip: RoundtripFile;
}

export const FIXTURE_GROUPS = ['tensor', 'losses', 'optimizers', 'layers', 'safetensors', 'roundtrip'] as const;

/** URL of a file in this package's fixtures/ folder (e.g. 'mlp.safetensors'). */
export function fixtureUrl(file: string): URL {
  return new URL(`../fixtures/${file}`, import.meta.url);
}

/** Absolute filesystem path of a file in fixtures/. */
export function fixturePath(file: string): string {
  return fileURLToPath(fixtureUrl(file));
}

const cache = new Map<string, unknown>();

/**
 * Reads and parses fixtures/<group>.json (cached).
 * @example
 * const { cases } = loadFixtures('tensor');
 * for (const c of cases) console.log(c.name, decodeTensor(c.output).data);
 */
export function loadFixtures<G extends keyof FixtureGroups>(group: G): FixtureGroups[G];
export function loadFixtures(group: string): FixtureFile;
export function loadFixtures(group: string): unknown {
  let file = cache.get(group);
  if (file === undefined) {
    file = JSON.parse(readFileSync(fixtureUrl(`${group}.json`), 'utf8'));
    cache.set(group, file);
  }
  return file;
}

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function decodeNumber(x: EncodedNumber): number {
  if (typeof x === 'number') return x;
  const v = NON_FINITE[x];
  if (v === undefined) throw new Error(`[decodeNumber] expected a number, NaN, Infinity or -Infinity, got ${JSON.stringify(x)}`);
  return v;
}

/** Turns an encoded tensor's data into plain numbers (non-finite strings become NaN/±Infinity). */
export function decodeTensor(t: EncodedTensor): DecodedTensor {
  const out: DecodedTensor = { dtype: t.dtype, shape: t.shape, data: t.data.map(decodeNumber) };
  if (t.requiresGrad !== undefined) out.requiresGrad = t.requiresGrad;
  return out;
}

export function isInputRef(a: unknown): a is InputRef {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && Object.keys(a).length === 1 &&
    typeof (a as InputRef).input === 'number';
}

/**
 * Builds the real argument list: `{ input: i }` anywhere (also inside lists and option objects)
 * becomes `inputs[i]`, and `null` becomes `undefined` (a skipped optional argument).
 * @example
 * const xs = c.inputs.map((t) => tensor(decodeTensor(t).data, { shape: t.shape, dtype: t.dtype }));
 * const args = resolveArgs(c.args, xs);
 * const out = c.call.kind === 'method' ? (xs[0] as any)[c.call.name](...args) : (api as any)[c.call.name](...args);
 */
export function resolveArgs<T>(args: readonly Arg[], inputs: readonly T[]): unknown[] {
  return args.map((a) => resolveArg(a, inputs));
}

function resolveArg<T>(a: Arg, inputs: readonly T[]): unknown {
  if (a === null) return undefined;
  if (isInputRef(a)) {
    if (a.input < 0 || a.input >= inputs.length) throw new Error(`[resolveArgs] input ${a.input} out of range 0..${inputs.length - 1}`);
    return inputs[a.input];
  }
  if (Array.isArray(a)) return a.map((x) => resolveArg(x, inputs));
  if (typeof a === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) out[k] = resolveArg(v, inputs);
    return out;
  }
  return a;
}

/** Number of elements of a shape (1 for rank 0). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}
