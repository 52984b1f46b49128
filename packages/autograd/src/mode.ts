/** Grad-mode scopes: noGrad and enableGrad, for sync code, async code, and `using` blocks. */
import { setGradEnabled } from '@nabla/tensor';

/** Restores the previous grad mode when disposed; returned by `noGrad()` / `enableGrad()` without a callback. */
export interface GradModeScope extends Disposable {
  /** Restores the grad mode that was active before the scope (idempotent). */
  restore(): void;
}

function scope(on: boolean): GradModeScope {
  const prev = setGradEnabled(on);
  let done = false;
  const restore = (): void => {
    if (done) return;
    done = true;
    setGradEnabled(prev);
  };
  return { restore, [Symbol.dispose]: restore };
}

function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

function runWith<T>(on: boolean, fn: () => T): T {
  const s = scope(on);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    s.restore();
    throw e;
  }
  // An async callback keeps the mode until its promise settles, so code after an `await` inside it
  // still records nothing. The mode is one global flag: other tasks running meanwhile see it too.
  if (isPromiseLike(result)) {
    return Promise.resolve(result).finally(s.restore) as T;
  }
  s.restore();
  return result;
}

/**
 * Runs `fn` with gradient recording off: nothing is recorded and results do not require grad.
 * Works with async callbacks (the mode is restored when the promise settles); without a callback it
 * returns a scope to dispose, for `using`.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { noGrad } from '@nabla/autograd';
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * w.square().sum().backward();
 * noGrad(() => w.sub_(w.grad!.mul(0.1)));          // an optimizer step
 * const y = await noGrad(async () => w.mul(2));   // y.requiresGrad === false
 * { using _ = noGrad(); w.mul(2).requiresGrad; }  // false
 */
export function noGrad(): GradModeScope;
export function noGrad<T>(fn: () => T): T;
export function noGrad<T>(fn?: () => T): T | GradModeScope {
  return fn === undefined ? scope(false) : runWith(false, fn);
}

/**
 * Runs `fn` with gradient recording on, even inside a noGrad scope.
 * @example
 * import { tensor } from '@nabla/tensor';
 * import { enableGrad, noGrad } from '@nabla/autograd';
 * const x = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // true
 */
export function enableGrad(): GradModeScope;
export function enableGrad<T>(fn: () => T): T;
export function enableGrad<T>(fn?: () => T): T | GradModeScope {
  return fn === undefined ? scope(true) : runWith(true, fn);
}
