/**
 * Module: the base of every layer. Children and parameters are discovered
 * from the module's own fields (PyTorch's attribute registration without the
 * `__setattr__` magic): a field holding a Module is a child, a field holding a
 * tensor marked with `parameter()` is a parameter, and buffers are fields
 * named through `registerBuffer`. Field order is declaration order, which
 * gives PyTorch's state-dict key order for the same declarations.
 */
import { NablaError, fmtShape, isFloating, shapesEqual, type FloatDType } from '@nabla/core';
import { Tensor } from '@nabla/tensor';
import { noGrad } from '@nabla/autograd';

const PARAMETERS = new WeakSet<Tensor>();

/**
 * Marks a tensor as a trainable parameter (and makes it require grad), so a Module
 * field holding it shows up in `parameters()` and the state dict.
 * @example
 * class Scale extends Module {
 *   s = parameter(ones([1]));
 *   forward(x: Tensor) { return x.mul(this.s); }
 * }
 */
export function parameter(t: Tensor, requiresGrad = true): Tensor {
  if (t.gradFn !== null) t = t.detach();
  t.requiresGrad = requiresGrad;
  PARAMETERS.add(t);
  return t;
}

export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && PARAMETERS.has(x);
}

export interface LoadStateDictOptions {
  /** Missing keys, unexpected keys and shape mismatches are errors (default true). */
  readonly strict?: boolean;
}

export interface LoadStateDictResult {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
}

export type StateDict = Record<string, Tensor>;

// Per-module bookkeeping lives outside the instance so it never shows up as a field.
const BUFFERS = new WeakMap<Module, Set<string>>();
const TRAINING = new WeakMap<Module, boolean>();

/**
 * The base of every layer: subclass it, keep sub-modules and `parameter()` tensors in fields, and
 * write `forward`.
 * @example
 * class Mlp extends Module {
 *   fc1 = new Linear(4, 16);
 *   fc2 = new Linear(16, 3);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * const net = new Mlp();
 * Object.keys(net.stateDict()); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
export abstract class Module {
  abstract forward(...args: any[]): any;

  /** `m.call(x)` is `m.forward(x)`: objects are not callable in TypeScript without cost. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    return this.forward(...args);
  }

  get training(): boolean {
    return TRAINING.get(this) ?? true;
  }

  /**
   * Registers a tensor field as a buffer (saved in the state dict, not trained),
   * like running statistics. Assigning the field later keeps it a buffer.
   */
  protected registerBuffer(name: string, t: Tensor | null): void {
    let set = BUFFERS.get(this);
    if (!set) BUFFERS.set(this, (set = new Set()));
    set.add(name);
    (this as any)[name] = t;
  }

  /** Direct children with their field names, in declaration order. */
  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) yield [k, v];
  }

  /** Direct children in declaration order (a plain loop: Sequential.forward calls this every step). */
  children(): Module[] {
    const out: Module[] = [];
    for (const v of Object.values(this)) if (v instanceof Module) out.push(v);
    return out;
  }

  /** This module and every descendant, each once, with dotted names ('' for this one). */
  *namedModules(prefix = '', seen = new Set<Module>()): Generator<[string, Module]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [k, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${k}` : k, seen);
  }

  modules(): Module[] {
    return [...this.namedModules()].map(([, m]) => m);
  }

  /** Own parameters (not children's), by field name. */
  private *ownParameters(): Generator<[string, Tensor]> {
    const buffers = BUFFERS.get(this);
    for (const [k, v] of Object.entries(this)) if (isParameter(v) && !buffers?.has(k)) yield [k, v];
  }

  private *ownBuffers(): Generator<[string, Tensor]> {
    const buffers = BUFFERS.get(this);
    if (!buffers) return;
    for (const k of buffers) {
      const v = (this as any)[k];
      if (v instanceof Tensor) yield [k, v];
    }
  }

  /** Parameters with PyTorch's dotted names ('0.weight', 'encoder.fc1.bias'); shared ones once. */
  *namedParameters(): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [prefix ? `${prefix}.${k}` : k, p];
      }
    }
  }

  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  *namedBuffers(): Generator<[string, Tensor]> {
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, b] of m.ownBuffers()) yield [prefix ? `${prefix}.${k}` : k, b];
    }
  }

  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  /** Sets training mode on this module and every descendant (Dropout and BatchNorm read it). */
  train(mode = true): this {
    for (const m of this.modules()) TRAINING.set(m, mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Calls fn on every descendant then this module (PyTorch's post-order), e.g. to re-initialise. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Clears every parameter's gradient (sets it to null, like torch's set_to_none default) and
   * disposes it, so its storage is free for the next step. Clone a gradient to keep it past this.
   */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      const g = p.grad;
      p.grad = null;
      g?.dispose();
    }
  }

  /**
   * Parameters and buffers by dotted name, per module: own parameters first, then own
   * buffers, then children (PyTorch's order). Values are the live tensors (detach or
   * clone them before changing them).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      const key = (k: string): string => (prefix ? `${prefix}.${k}` : k);
      for (const [k, p] of m.ownParameters()) out[key(k)] = p;
      for (const [k, b] of m.ownBuffers()) out[key(k)] = b;
    }
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers in place (the tensors keep
   * their identity, so optimizers holding them stay valid).
   */
  loadStateDict(record: StateDict, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in record));
    const unexpectedKeys = Object.keys(record).filter((k) => !(k in own));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
      throw new NablaError('loadStateDict', parts.join('; '));
    }
    // Shape mismatches are errors whatever `strict` says, as in PyTorch.
    for (const [k, dst] of Object.entries(own)) {
      const src = record[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) throw new NablaError('loadStateDict', `value for '${k}' is not a tensor`);
      if (!shapesEqual(src.shape, dst.shape)) {
        throw new NablaError('loadStateDict', `shape mismatch for '${k}': expected ${fmtShape(dst.shape)} got ${fmtShape(src.shape)}`);
      }
    }
    noGrad(() => {
      for (const [k, dst] of Object.entries(own)) {
        const src = record[k];
        if (src !== undefined && src !== dst) dst.copy_(src.backend === dst.backend ? src : src.toBackend(dst.backend));
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Converts every floating parameter and buffer to `dtype` (float32 or float64). Parameters are
   * replaced by new leaf tensors, so build optimizers after calling this.
   */
  to(dtype: FloatDType): this {
    if (!isFloating(dtype)) throw new NablaError('Module.to', `expected float32 or float64, got ${String(dtype)}`);
    // One conversion per tensor, so parameters shared between modules stay shared.
    const converted = new Map<Tensor, Tensor>();
    const convert = (t: Tensor, make: () => Tensor): Tensor => {
      let c = converted.get(t);
      if (c === undefined) converted.set(t, (c = make()));
      return c;
    };
    for (const m of this.modules()) {
      const buffers = BUFFERS.get(m);
      for (const [k, v] of Object.entries(m)) {
        if (!(v instanceof Tensor) || !isFloating(v.dtype) || v.dtype === dtype) continue;
        const t: Tensor = v;
        if (PARAMETERS.has(t)) (m as any)[k] = convert(t, () => parameter(noGrad(() => t.to(dtype)), t.requiresGrad));
        else if (buffers?.has(k)) (m as any)[k] = convert(t, () => noGrad(() => t.to(dtype)));
      }
    }
    return this;
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }

  /** The one-line description inside the parentheses of toString (e.g. 'in=4, out=2'). */
  extraRepr(): string {
    return '';
  }

  /**
   * A summary like torch's repr, with parameter counts:
   * `Sequential(\n  (0): Linear(in=4, out=8, bias=true)\n  ...\n) — 67 parameters`.
   */
  toString(): string {
    return `${this.describe()}\n${fmtCount(this.numParameters())} parameters (${fmtCount(this.trainableCount())} trainable)`;
  }

  private trainableCount(): number {
    return this.parameters().reduce((n, p) => n + (p.requiresGrad ? p.numel : 0), 0);
  }

  /** The nested repr without the totals line. */
  describe(): string {
    const name = this.constructor.name;
    const kids = [...this.namedChildren()];
    const extra = this.extraRepr();
    if (kids.length === 0) return `${name}(${extra})`;
    const lines = kids.map(([k, m]) => `  (${k}): ${m.describe().split('\n').join('\n  ')}`);
    return `${name}(${extra ? `${extra}\n` : '\n'}${lines.join('\n')}\n)`;
  }
}

function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}
