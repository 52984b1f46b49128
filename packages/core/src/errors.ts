/** The one error class of nabla: every message starts with the op in brackets. */

export class NablaError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`[${op}] ${message}`);
    this.name = 'NablaError';
    this.op = op;
  }
}

/** Formats a shape the way errors print it: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Throws `[op] message` unless the condition holds. */
export function check(cond: unknown, op: string, message: string | (() => string)): asserts cond {
  if (!cond) throw new NablaError(op, typeof message === 'function' ? message() : message);
}
