/** Errors the app reports as one line (bad flags, unreadable files); anything else is a bug and also printed as one line. */
export class AppError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppError';
  }
}

/** The first line of an error's message, for the one-line report. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].trim() || (e instanceof Error ? e.name : 'error');
}
