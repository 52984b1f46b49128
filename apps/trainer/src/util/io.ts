/** Where the app writes: real stdout/stderr in the CLI, buffers in tests. */
import type { Writable } from 'node:stream';

export interface Io {
  /** A line of results on stdout. */
  out(line: string): void;
  /** A line of diagnostics on stderr. */
  err(line: string): void;
  /** The stream progress bars draw on; bars are drawn only when it is a TTY. */
  readonly progressStream: Writable & { isTTY?: boolean };
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  progressStream: process.stdout,
};

/** An Io that records lines, for tests. */
export function memoryIo(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const sink = { write: () => true, isTTY: false } as unknown as Writable & { isTTY?: boolean };
  return { lines, errors, out: (l) => void lines.push(l), err: (l) => void errors.push(l), progressStream: sink };
}
