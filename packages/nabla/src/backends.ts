/**
 * Registration, this package's purpose (hence listed in package.json `sideEffects`): registers
 * 'native', 'wasm' and 'js' with core's registry and, on import, makes the fastest one that can be
 * created here current: native (Node with the addon), then wasm (created synchronously in Node),
 * then js. NABLA_BACKEND=js|wasm|native overrides. Browsers start on js; `await ready()` upgrades to
 * wasm, which they can only compile asynchronously.
 */
import { peekBackend, registerBackend, setBackend, type Backend } from '@nabla/core';
import { createJsBackend } from '@nabla/backend-js';
import { createWasmBackend, createWasmBackendSync } from '@nabla/backend-wasm';
import { BACKEND_NAMES, choose, type BackendInfo, type BackendName, type Candidate } from './select';

type NodeProcess = { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown };
const nodeProcess = (globalThis as { process?: NodeProcess }).process;

/** Node's require, without a static node: import (browser bundles stay clean). */
function nodeRequire(): ((id: string) => unknown) | undefined {
  const mod = nodeProcess?.getBuiltinModule?.('node:module') as { createRequire(url: string): (id: string) => unknown } | undefined;
  return mod?.createRequire(import.meta.url);
}

const instances = new Map<BackendName, Backend>();

const makers: Record<BackendName, () => Backend> = {
  // An optional dependency, loaded on demand: a missing package or an addon that will not load is
  // a reason to skip native, never an import error.
  native() {
    const req = nodeRequire();
    if (!req) throw new Error('the native backend needs Node.js');
    const native = req('@nabla/backend-native') as { createNativeBackend(): Backend };
    return native.createNativeBackend();
  },
  wasm: () => createWasmBackendSync(),
  js: () => createJsBackend(),
};

/** One instance per name, so `setBackend('wasm')` twice keeps tensors on the same backend. */
const instance = (name: BackendName) => (): Backend => {
  let b = instances.get(name);
  if (!b) instances.set(name, (b = makers[name]()));
  return b;
};

/** The backends in the order they are preferred. */
export const candidates: readonly Candidate[] = BACKEND_NAMES.map((name) => ({ name, create: instance(name) }));
for (const c of candidates) registerBackend(c.name, c.create);

let info: BackendInfo = { name: 'js', chosenBy: 'auto', skipped: [] };
let chosen: Backend | undefined;

export interface InitOptions {
  /** Overrides the NABLA_BACKEND environment variable ('' = choose automatically). */
  readonly backend?: BackendName | '';
  /** The candidates to try (tests substitute failing ones); defaults to native, wasm, js. */
  readonly candidates?: readonly Candidate[];
}

/**
 * Makes the fastest backend that works here current (native, then wasm, then js), or the one
 * NABLA_BACKEND names, and returns what was chosen and why the others were skipped. Runs once on
 * import; call again to re-select.
 * @example
 * import { initBackend } from 'nabla';
 * initBackend().name; // 'native' where the addon loads, else 'wasm' in Node, 'js' in a browser before ready()
 */
export function initBackend(options: InitOptions = {}): BackendInfo {
  const override = options.backend ?? nodeProcess?.env?.NABLA_BACKEND ?? '';
  const sel = choose(options.candidates ?? candidates, override);
  chosen = setBackend(sel.backend);
  info = sel.info;
  return info;
}

/** Same as `initBackend`: use the best backend available. */
export const useBestBackend = initBackend;

/**
 * Resolves once the best backend is in place: where wasm could not be created synchronously (browsers),
 * compiles it and makes it current. Create tensors after awaiting it, so none is left on js.
 * @example
 * import * as nb from 'nabla';
 * await nb.ready();
 * nb.tensor([1, 2, 3]).exp();
 */
export async function ready(): Promise<BackendInfo> {
  if (info.name !== 'js' || info.chosenBy !== 'auto' || !info.skipped.some((s) => s.name === 'wasm')) return backendInfo();
  try {
    const wasm = await createWasmBackend();
    instances.set('wasm', wasm);
    chosen = setBackend(wasm);
    info = { name: 'wasm', chosenBy: 'ready', skipped: info.skipped.filter((s) => s.name !== 'wasm') };
  } catch (e) {
    const reason = `${(e as Error).message} (async load in ready())`;
    info = { ...info, skipped: info.skipped.map((s) => (s.name === 'wasm' ? { name: s.name, reason } : s)) };
  }
  return info;
}

/** The backend in use, how it was chosen and why faster ones were skipped (e.g. why native did not load). */
export function backendInfo(): BackendInfo {
  const current = peekBackend();
  if (current && current !== chosen) return { name: current.name, chosenBy: 'setBackend', skipped: info.skipped };
  return info;
}

// Respect a backend someone set before this module was evaluated.
if (!peekBackend()) initBackend();
