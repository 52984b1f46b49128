/**
 * Backend selection for the app: native, then wasm, then the reference js backend, unless the
 * user names one (`--backend`, or NABLA_BACKEND). Backends are loaded lazily so a missing or
 * unbuildable native addon only costs a fallback, never a crash.
 */
import { setBackend, type Backend } from '@nabla/core';
import { AppError, oneLine } from './util/errors';

export const BACKENDS = ['native', 'wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

// Specifiers are plain strings so the app still type-checks and runs while a backend package is absent.
const importPackage = (spec: string): Promise<Record<string, unknown>> => import(spec);

type Factory = (m: Record<string, unknown>) => unknown;

const LOADERS = {
  native: { spec: '@nabla/backend-native', make: (m) => (m.createNativeBackend as () => Backend)() },
  wasm: { spec: '@nabla/backend-wasm', make: (m) => (m.createWasmBackend as () => Promise<Backend> | Backend)() },
  js: { spec: '@nabla/backend-js', make: (m) => (m.createJsBackend as () => Backend)() },
} as const satisfies Record<BackendName, { spec: string; make: Factory }>;

export async function loadBackend(name: BackendName): Promise<Backend> {
  const { spec, make } = LOADERS[name];
  let mod: Record<string, unknown>;
  try {
    mod = await importPackage(spec);
  } catch (e) {
    throw new AppError(`backend ${name} is not available: ${oneLine(e)}`);
  }
  try {
    return (await make(mod)) as Backend;
  } catch (e) {
    throw new AppError(`backend ${name} failed to start: ${oneLine(e)}`);
  }
}

/**
 * Makes the requested backend current, or the first one that starts (native → wasm → js).
 * Returns it and the reasons the faster ones were skipped.
 */
export async function useBackend(requested?: string): Promise<{ backend: Backend; skipped: string[] }> {
  const want = requested ?? process.env.NABLA_BACKEND;
  if (want !== undefined && want !== '' && want !== 'auto') {
    if (!(BACKENDS as readonly string[]).includes(want)) throw new AppError(`unknown backend '${want}' (expected one of ${BACKENDS.join(', ')})`);
    const backend = await loadBackend(want as BackendName);
    setBackend(backend);
    return { backend, skipped: [] };
  }
  const skipped: string[] = [];
  for (const name of BACKENDS) {
    try {
      const backend = await loadBackend(name);
      setBackend(backend);
      return { backend, skipped };
    } catch (e) {
      skipped.push(oneLine(e));
    }
  }
  throw new AppError(`no backend could start: ${skipped.join('; ')}`);
}

export function describeBackend(b: Backend): string {
  const c = b.capabilities;
  return `${b.name} (${c.isa}, ${c.threads} thread${c.threads === 1 ? '' : 's'})`;
}
