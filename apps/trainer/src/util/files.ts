/** File access with one-line errors: a missing or unreadable file is the user's mistake, not a crash. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Writes `name` under `dir` (creating it) and returns the path. */
export function writeOutput(dir: string, name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  } catch (e) {
    throw new AppError(`cannot write ${path}: ${reason(e)}`);
  }
  return path;
}

export { resolve };
