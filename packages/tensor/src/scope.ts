/**
 * `scope(fn)`: disposes every tensor created while fn runs except what it
 * returns (and what those results' autograd graphs still need). Works for
 * async functions: the scope stays open until the promise settles.
 */
import type { Tensor } from './tensor';

/** Open scopes, innermost last; the Tensor constructor appends to the innermost. */
export const scopes: Tensor[][] = [];

function collectKept(value: unknown, kept: Set<Tensor>, seen: Set<unknown>, TensorClass: typeof Tensor): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof TensorClass) {
    if (kept.has(value)) return;
    kept.add(value);
    // Keep the graph behind a returned tensor so backward() still works after the scope.
    const node = value.gradFn;
    if (node) for (const t of [...node.inputs, ...node.saved]) collectKept(t, kept, seen, TensorClass);
    if (value.grad) collectKept(value.grad, kept, seen, TensorClass);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectKept(v, kept, seen, TensorClass);
  else if (value instanceof Map) for (const v of value.values()) collectKept(v, kept, seen, TensorClass);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collectKept(v, kept, seen, TensorClass);
}

function close(frame: Tensor[], result: unknown, TensorClass: typeof Tensor): void {
  const i = scopes.lastIndexOf(frame);
  if (i >= 0) scopes.splice(i, 1);
  if (frame.length === 0) return;
  const kept = new Set<Tensor>();
  collectKept(result, kept, new Set(), TensorClass);
  const parent = scopes.length ? scopes[scopes.length - 1] : undefined;
  for (const t of frame) {
    if (kept.has(t) || t.escaped) parent?.push(t);
    else t.dispose();
  }
}

export function runScope<T>(fn: () => T, TensorClass: typeof Tensor): T {
  const frame: Tensor[] = [];
  scopes.push(frame);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close(frame, undefined, TensorClass);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        close(frame, v, TensorClass);
        return v;
      },
      (e) => {
        close(frame, undefined, TensorClass);
        throw e;
      },
    ) as T;
  }
  close(frame, result, TensorClass);
  return result;
}
