/** The current backend: set explicitly, never by importing a package. */
import type { Backend } from './backend';
import { NablaError } from './errors';

let current: Backend | undefined;
const named = new Map<string, () => Backend>();

/**
 * Makes `backend` the one new tensors are created on. A string picks a backend
 * registered under that name with `registerBackend` (the umbrella package
 * registers 'native', 'wasm' and 'js').
 * @example
 * import { setBackend } from '@nabla/core';
 * import { createJsBackend } from '@nabla/backend-js';
 * setBackend(createJsBackend());
 */
export function setBackend(backend: Backend | string): Backend {
  if (typeof backend === 'string') {
    const make = named.get(backend);
    if (!make) {
      const known = [...named.keys()].join(', ') || 'none';
      throw new NablaError('setBackend', `no backend named '${backend}' is registered (registered: ${known})`);
    }
    current = make();
  } else {
    current = backend;
  }
  return current;
}

/** The current backend, or `fallback()` made current when none was set. */
export function getBackend(fallback?: () => Backend): Backend {
  if (!current) {
    if (!fallback) throw new NablaError('getBackend', 'no backend is set; call setBackend(...) first');
    current = fallback();
  }
  return current;
}

/** The current backend if one was set, without choosing a default. */
export function peekBackend(): Backend | undefined {
  return current;
}

/** Makes a backend selectable by name in `setBackend(name)`. */
export function registerBackend(name: string, make: () => Backend): void {
  named.set(name, make);
}

export function registeredBackends(): string[] {
  return [...named.keys()];
}
