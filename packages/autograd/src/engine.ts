/** The reverse-mode engine: walks a recorded graph from its roots and applies one vjp rule per node. */
import { NablaError, fmtShape, shapesEqual } from '@nabla/core';
import { type Node, type Tensor, isGradEnabled, onesLike, scope, setGradEnabled, zerosLike } from '@nabla/tensor';
import { VJP } from './vjp';

export interface BackwardOptions {
  /** Keep the graph and its saved tensors so backward can run through it again (default: createGraph). */
  readonly retainGraph?: boolean;
  /** Record the backward pass itself, so gradients can be differentiated again (default false). */
  readonly createGraph?: boolean;
}

interface Run {
  readonly roots: readonly Tensor[];
  readonly seeds: readonly Tensor[];
  readonly retainGraph: boolean;
  /** Functional mode: return the gradients of these tensors and leave every `.grad` untouched. */
  readonly targets?: readonly Tensor[];
}

/**
 * Post-order over the nodes reachable from `roots` (inputs before the nodes that consumed them),
 * iterative so that a graph thousands of ops deep cannot overflow the stack.
 */
function postOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (node.released === true) {
        throw new NablaError('backward', `trying to backward through the graph a second time (op ${node.op}); pass { retainGraph: true } to the first backward() if you need to`);
      }
      if (i < node.inputs.length) {
        top[1] = i + 1;
        const child = node.inputs[i].gradFn;
        if (child && node.inputs[i].requiresGrad && !seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order;
}

/**
 * Functional mode: the nodes whose vjp leads to some target. Others are skipped (and kept intact, since
 * they may belong to a graph the caller still needs, such as one a closure captured).
 */
function nodesToRun(order: readonly Node[], targets: readonly Tensor[]): Set<Node> {
  const targetNodes = new Set<Node>();
  const targetLeaves = new Set<Tensor>();
  for (const t of targets) {
    if (t.gradFn) targetNodes.add(t.gradFn);
    else targetLeaves.add(t);
  }
  const run = new Set<Node>();
  const leads = (x: Tensor): boolean =>
    x.gradFn === null ? targetLeaves.has(x) : targetNodes.has(x.gradFn) || run.has(x.gradFn);
  // post-order: every input node was decided before the nodes that consumed it
  for (const node of order) if (node.inputs.some(leads)) run.add(node);
  return run;
}

function checkGradient(op: string, g: Tensor, like: Tensor, what: string): void {
  if (!shapesEqual(g.shape, like.shape)) {
    throw new NablaError(op, `${what} has shape ${fmtShape(g.shape)} but the tensor has shape ${fmtShape(like.shape)}`);
  }
}

/**
 * The gradients in flight, keyed by node (non-leaves) or tensor (leaves). Without createGraph nothing but
 * these maps can reference a gradient the engine made, so one whose last holder lets go is disposed at once
 * instead of waiting for the collector. Only tensors the engine created are ever disposed: seeds, and
 * whatever a custom function's backward returns, belong to someone else.
 */
class InFlight {
  readonly byNode = new Map<Node, Tensor>();
  readonly byLeaf = new Map<Tensor, Tensor>();
  private readonly holds = new Map<Tensor, number>();
  private readonly owned = new Set<Tensor>();
  /** Never disposed: returned to the caller or stored in some .grad. */
  readonly kept = new Set<Tensor>();
  constructor(private readonly free: boolean) {}

  /** Marks a tensor the engine created (so it may dispose it). */
  own(t: Tensor): Tensor {
    if (this.free) this.owned.add(t);
    return t;
  }

  private hold(t: Tensor): void {
    this.holds.set(t, (this.holds.get(t) ?? 0) + 1);
  }

  /** Lets go of one hold; an owned tensor with no holds left that is not kept is disposed. */
  drop(t: Tensor): void {
    const n = (this.holds.get(t) ?? 0) - 1;
    if (n > 0) {
      this.holds.set(t, n);
      return;
    }
    this.holds.delete(t);
    if (this.owned.has(t) && !this.kept.has(t)) {
      this.owned.delete(t);
      t.dispose();
    }
  }

  /** Disposes `t` now if nothing holds it (a temporary that was never stored). */
  orphan(t: Tensor): void {
    if (!this.holds.has(t)) {
      this.hold(t);
      this.drop(t);
    }
  }

  add<K>(map: Map<K, Tensor>, key: K, g: Tensor): void {
    const prev = map.get(key);
    const next = prev === undefined ? g : this.own(prev.add(g));
    map.set(key, next);
    this.hold(next);
    if (prev !== undefined) {
      this.drop(prev);
      this.orphan(g);
    }
  }

  take(node: Node): Tensor | undefined {
    const g = this.byNode.get(node);
    this.byNode.delete(node);
    return g;
  }
}

/**
 * Drops everything a node holds, so the intermediates it kept alive can be collected. Graph-owned tensors
 * it references (intermediates nothing else can reach) go to `owned`, disposed once the whole pass is done
 * (a node processed later may still read one: its producer's rule, or a rule that saved its output).
 */
function release(node: Node, owned: Set<Tensor>): void {
  for (const t of node.inputs) if (t.graphOwned) owned.add(t);
  for (const t of node.saved) if (t.graphOwned) owned.add(t);
  if (node.output?.graphOwned) owned.add(node.output);
  node.released = true;
  // replaced, not truncated: the arrays may be shared (a custom function's outputs share their inputs)
  node.inputs = [];
  node.saved = [];
  node.savedVersions = [];
  node.attrs = {};
  node.output = undefined;
}

function execute(run: Run): Map<Tensor, Tensor | null> {
  const { roots, seeds, retainGraph, targets } = run;
  // With recording off (no createGraph) the engine's temporaries can be disposed as soon as they are used.
  const free = !isGradEnabled();
  const flight = new InFlight(free);
  for (const s of seeds) flight.kept.add(s);
  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    if (r.gradFn) {
      flight.add(flight.byNode, r.gradFn, seeds[i]);
      rootNodes.push(r.gradFn);
    } else {
      flight.add(flight.byLeaf, r, seeds[i]);
    }
  });
  const order = postOrder(rootNodes);
  const toRun = targets ? nodesToRun(order, targets) : undefined;
  const targetNodeGrads = new Map<Node, Tensor>();
  const targetNodes = new Set(targets?.map((t) => t.gradFn).filter((n): n is Node => n !== null));
  const graphOwned = new Set<Tensor>();

  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    const g = flight.take(node);
    const runs = toRun === undefined || toRun.has(node);
    if (g !== undefined) {
      if (targetNodes.has(node)) {
        targetNodeGrads.set(node, g);
        flight.kept.add(g);
      }
      const produced = node.output;
      if (!targets && produced?.retainsGrad) {
        const own = g.contiguous();
        flight.kept.add(own);
        produced.grad = produced.grad === null ? own : produced.grad.add(own);
      }
      if (runs) propagate(node, g, flight);
      flight.drop(g);
    }
    if (!retainGraph && runs) release(node, graphOwned);
  }
  // Functional mode keeps the nodes it skipped, which may share these tensors: only a full backward frees them.
  if (!targets) for (const t of graphOwned) t.dispose();

  const out = new Map<Tensor, Tensor | null>();
  if (targets) {
    for (const t of targets) {
      const g = t.gradFn ? targetNodeGrads.get(t.gradFn) : flight.byLeaf.get(t);
      if (g !== undefined) flight.kept.add(g);
      out.set(t, g ?? null);
    }
    for (const g of flight.byLeaf.values()) flight.drop(g);
    return out;
  }
  // Each leaf gets its own tensor: two leaves (or a leaf and the caller's seed) must never share one, or an
  // optimizer updating one .grad in place would silently change the other.
  const handedOut = new Set<Tensor>(seeds);
  for (const [leaf, g] of flight.byLeaf) {
    // contiguous: an expanded (stride-0) gradient must not reach an optimizer's in-place update
    const own = flight.own(handedOut.has(g) ? g.clone() : g.contiguous());
    handedOut.add(own);
    if (leaf.grad === null) {
      leaf.grad = own;
      flight.kept.add(own);
    } else {
      leaf.grad = leaf.grad.add(own);
      if (own !== g) flight.orphan(own);
    }
    flight.drop(g);
  }
  return out;
}

/** Runs one node's rule and hands each input its gradient. */
function propagate(node: Node, g: Tensor, flight: InFlight): void {
  const rule = VJP[node.op];
  if (rule === undefined) throw new NablaError('backward', `no gradient rule for op '${node.op}'`);
  // A built-in rule's temporaries die with it (scope); a custom backward's results are not ours to dispose.
  const builtIn = node.op !== 'custom';
  const grads = builtIn && isGradEnabled() === false ? scope(() => rule(g, node)) : rule(g, node);
  for (let i = 0; i < node.inputs.length; i++) {
    const x = node.inputs[i];
    const gi = grads[i];
    if (gi === null || gi === undefined) continue;
    if (builtIn && gi !== g) flight.own(gi);
    if (!x.requiresGrad) continue;
    checkGradient('backward', gi, x, `the gradient op '${node.op}' gives input ${i}`);
    const gx = gi.dtype === x.dtype ? gi : flight.own(gi.to(x.dtype));
    if (x.gradFn) flight.add(flight.byNode, x.gradFn, gx);
    else flight.add(flight.byLeaf, x, gx);
  }
  // gradients nobody took (inputs that need none, or replaced by a cast) are temporaries too
  for (const gi of grads) if (gi !== null && gi !== undefined && gi !== g) flight.orphan(gi);
}

function seedFor(root: Tensor, gradient: Tensor | undefined): Tensor {
  if (gradient === undefined) {
    if (root.numel !== 1) {
      throw new NablaError('backward', `a gradient can be created implicitly only for a single-element output; got shape ${fmtShape(root.shape)}, pass backward(gradient)`);
    }
    return onesLike(root);
  }
  checkGradient('backward', gradient, root, 'the gradient');
  return gradient.dtype === root.dtype ? gradient : gradient.to(root.dtype);
}

function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = setGradEnabled(on);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/**
 * Accumulates d(root)/d(leaf) into `.grad` of every leaf that requires grad, then frees the graph
 * unless `retainGraph`.
 */
export function backward(root: Tensor, gradient?: Tensor, opts: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new NablaError('backward', 'the tensor does not require grad and has no gradFn; create a leaf with { requiresGrad: true }');
  }
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const seed = seedFor(root, gradient);
  withGradMode(createGraph, () => execute({ roots: [root], seeds: [seed], retainGraph }));
  // the implicit ones seed was ours; only a retained root gradient can still be it (leaf gradients are copies)
  if (seed !== gradient && !createGraph && root.grad !== seed) seed.dispose();
}

/**
 * The gradients of `outputs` (weighted by `gradOutputs`) with respect to `inputs`, without touching
 * any `.grad`; an input the outputs do not depend on gets zeros. The engine under grad()/valueAndGrad().
 */
export function gradients(
  outputs: readonly Tensor[],
  inputs: readonly Tensor[],
  gradOutputs: readonly (Tensor | undefined)[] = [],
  opts: BackwardOptions = {},
): Tensor[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  for (const x of inputs) {
    if (!x.requiresGrad) throw new NablaError('grad', `input of shape ${fmtShape(x.shape)} does not require grad`);
  }
  const roots = outputs.filter((o) => o.requiresGrad);
  const seeds = outputs.map((o, i) => seedFor(o, gradOutputs[i])).filter((_, i) => outputs[i].requiresGrad);
  return withGradMode(createGraph, () => {
    const found = execute({ roots, seeds, retainGraph, targets: inputs });
    return inputs.map((x) => found.get(x) ?? zerosLike(x));
  });
}
