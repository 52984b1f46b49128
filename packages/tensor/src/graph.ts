/**
 * The hooks autograd builds on. Tensor carries no gradient code: each
 * differentiable op calls `record` after computing its output, and
 * `backward()` forwards to whatever engine `installAutogradEngine` installed.
 * Every recorded `op` string and its attrs are listed in GRAPH_OPS.md.
 */
import { NablaError } from '@nabla/core';
import type { Tensor } from './tensor';

/** One recorded op application. */
export interface Node {
  /** Key into autograd's VJP table, e.g. 'exp', 'add', 'sum', 'permute', 'matmul'. */
  op: string;
  /** The op's tensor inputs (graph edges), in call order. */
  inputs: Tensor[];
  /** Non-tensor arguments the vjp needs (dims, keepdim, shapes, scalars, ...). */
  attrs: Record<string, unknown>;
  /** Extra tensors the vjp needs (e.g. the output for exp/sigmoid/softmax). */
  saved: Tensor[];
  /** Storage versions of `saved` then `inputs` at record time, to detect in-place changes. */
  savedVersions: number[];
  /** The tensor this node produced (engines may clear it when they free the graph). */
  output?: Tensor;
  /** For ops with several outputs: which one this node produced (no tensor op records one today). */
  outputIndex?: number;
  /** Set by an engine that freed this node's graph, so a second backward through it can say why it fails. */
  released?: boolean;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

export interface AutogradEngine {
  backward(root: Tensor, gradient: Tensor | undefined, opts: BackwardOptions): void;
}

/** Shared mutable grad mode; ops read `gradMode.enabled` directly to stay cheap. */
export const gradMode = { enabled: true };
let engine: AutogradEngine | undefined;

export function isGradEnabled(): boolean {
  return gradMode.enabled;
}

/** Turns recording on or off; returns the previous mode so callers can restore it in `finally`. */
export function setGradEnabled(on: boolean): boolean {
  const prev = gradMode.enabled;
  gradMode.enabled = on;
  return prev;
}

export function installAutogradEngine(e: AutogradEngine): void {
  engine = e;
}

export function getAutogradEngine(): AutogradEngine | undefined {
  return engine;
}

/** True when an op on these inputs must be recorded. */
export function needsGrad(a: Tensor, b?: Tensor, c?: Tensor): boolean {
  return gradMode.enabled && (a.requiresGrad || (b !== undefined && b.requiresGrad) || (c !== undefined && c.requiresGrad));
}

/**
 * Records `out = op(inputs, attrs)` when grad mode is on and any input requires grad:
 * `out` becomes a non-leaf with `gradFn` set. Returns `out` for chaining.
 */
export function record(op: string, inputs: Tensor[], out: Tensor, attrs: Record<string, unknown> = {}, saved: Tensor[] = []): Tensor {
  if (!gradMode.enabled) return out;
  let any = false;
  for (const t of inputs) if (t.requiresGrad) { any = true; break; }
  if (!any) return out;
  const savedVersions: number[] = [];
  for (const t of saved) savedVersions.push(t.version);
  for (const t of inputs) savedVersions.push(t.version);
  out._setGradFn({ op, inputs, attrs, saved, savedVersions, output: out });
  return out;
}

/**
 * Releases `t`, an intermediate result that only the caller holds, once `next` (computed from it) no
 * longer needs it: at once when no graph was recorded on `next`, else when backward frees that graph
 * (it becomes `graphOwned`). For layers and containers passing results along; never for user tensors.
 */
export function releaseIntermediate(t: Tensor, next: Tensor): void {
  if (t === next) return;
  if (next.gradFn === null) t.dispose();
  else t.graphOwned = true;
}

export function runBackward(root: Tensor, gradient: Tensor | undefined, opts: BackwardOptions): void {
  if (!engine) throw new NablaError('backward', "no autograd engine: import '@nabla/autograd' (or 'nabla') to differentiate");
  engine.backward(root, gradient, opts);
}
