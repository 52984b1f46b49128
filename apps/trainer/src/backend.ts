/**
 * Backend selection through the umbrella package `nabla`: the fastest that starts here (native,
 * then wasm, then js), or the one named by `--backend` / NABLA_BACKEND. The umbrella is imported
 * lazily so a bad NABLA_BACKEND or an addon that fails to load becomes a one-line error, not a
 * crash at import time.
 */
import type { Backend } from '@nabla/core';
import type * as Nabla from 'nabla';
import { AppError, oneLine } from './util/errors';

export const BACKENDS = ['native', 'wasm', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  readonly backend: Backend;
  /** Faster backends that were skipped, with the reason. */
  readonly skipped: string[];
}

export async function useBackend(requested?: string): Promise<BackendChoice> {
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new AppError(`unknown backend '${requested}' (expected one of ${BACKENDS.join(', ')})`);
  }
  let nabla: typeof Nabla;
  try {
    nabla = await import('nabla');
  } catch (e) {
    throw new AppError(`no backend could start: ${oneLine(e)}`);
  }
  try {
    const info = nabla.initBackend(requested ? { backend: requested as BackendName } : {});
    const { getBackend } = await import('@nabla/core');
    return { backend: getBackend(), skipped: info.skipped.map((s) => `${s.name} skipped: ${oneLine(s.reason)}`) };
  } catch (e) {
    throw new AppError(oneLine(e));
  }
}

export function describeBackend(b: Backend): string {
  const c = b.capabilities;
  return `${b.name} (${c.isa}, ${c.threads} thread${c.threads === 1 ? '' : 's'})`;
}
