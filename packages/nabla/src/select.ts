/** Picking a backend: the first candidate that can be created, in order, unless NABLA_BACKEND names one. */
import { NablaError, type Backend } from '@nabla/core';

export const BACKEND_NAMES = ['native', 'wasm', 'js'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface Candidate {
  readonly name: BackendName;
  /** Creates the backend now, or throws saying why it cannot. */
  readonly create: () => Backend;
}

export interface BackendInfo {
  /** The backend in use. */
  readonly name: string;
  /** How it was chosen: 'auto' (fastest that works), 'NABLA_BACKEND', 'ready' (upgraded after async loading) or 'setBackend'. */
  readonly chosenBy: 'auto' | 'NABLA_BACKEND' | 'ready' | 'setBackend';
  /** Faster backends that were tried and skipped, with the reason each could not be used. */
  readonly skipped: readonly { readonly name: BackendName; readonly reason: string }[];
}

export interface Selection {
  readonly backend: Backend;
  readonly info: BackendInfo;
}

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Tries `candidates` in order and returns the first that can be created, with the reasons the
 * earlier ones failed. `override` (the value of NABLA_BACKEND) restricts the choice to that name;
 * if it cannot be created that is an error, since the user asked for it explicitly.
 */
export function choose(candidates: readonly Candidate[], override?: string): Selection {
  if (override) {
    const c = candidates.find((x) => x.name === override);
    if (!c) throw new NablaError('nabla', `NABLA_BACKEND=${override} is not one of ${BACKEND_NAMES.join(', ')}`);
    try {
      return { backend: c.create(), info: { name: c.name, chosenBy: 'NABLA_BACKEND', skipped: [] } };
    } catch (e) {
      throw new NablaError('nabla', `NABLA_BACKEND=${override} but the ${override} backend could not be created: ${reasonOf(e)}`);
    }
  }
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const c of candidates) {
    try {
      return { backend: c.create(), info: { name: c.name, chosenBy: 'auto', skipped } };
    } catch (e) {
      skipped.push({ name: c.name, reason: reasonOf(e) });
    }
  }
  throw new NablaError('nabla', `no backend could be created: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}
