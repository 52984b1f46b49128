/** File access with one-line errors: a missing or unreadable file is the user's mistake, not a crash. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from './errors';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

function reason(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  return REASONS[code] ?? (e instanceof Error ? e.message : String(e));
}

export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new AppError(`cannot read ${path}: ${reason(e)}`);
  }
}

export function readJson(path: string): unknown {
  const text = readBytes(path).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(`cannot read ${path}: not valid JSON`);
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. (Node 20's `mkdirSync(…, { recursive })`
 * spins forever under /proc, so the app does not use it.)
 */
function ensureDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  mkdirSync(dir);
}

/** Creates the output directory up front, so a bad --out fails before minutes of training, not after. */
export function prepareOutDir(dir: string): void {
  try {
    ensureDir(dir);
  } catch (e) {
    throw new AppError(`cannot write to --out ${dir}: ${reason(e)}`);
  }
}

/** Writes `name` under `dir` (creating it) and returns the path. */
export function writeOutput(dir: string, name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  try {
    ensureDir(dirname(path));
    writeFileSync(path, data);
  } catch (e) {
    throw new AppError(`cannot write ${path}: ${reason(e)}`);
  }
  return path;
}

export { resolve };
