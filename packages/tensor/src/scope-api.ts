/** Public `scope` helper (kept apart from scope.ts so the Tensor constructor's import stays tiny). */
import { runScope } from './scope';
import { Tensor } from './tensor';

/**
 * Runs fn and disposes every tensor created inside that is not part of the result
 * (tensors in a returned array/object/Map count as returned). Async functions work:
 * the scope closes when the promise settles.
 * @example
 * const y = scope(() => x.mul(2).add(1)); // the x*2 temporary is freed now
 */
export function scope<T>(fn: () => T): T {
  return runScope(fn, Tensor);
}

/**
 * Exempts tensors from disposal by the enclosing scope() (e.g. optimizer state created inside one).
 * Tensors assigned to some `.grad` are kept automatically.
 */
export function keep<T extends Tensor | readonly Tensor[]>(t: T): T {
  for (const x of Array.isArray(t) ? t : [t]) (x as Tensor).escaped = true;
  return t;
}
