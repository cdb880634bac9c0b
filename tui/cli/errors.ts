// tui/cli/errors.ts — how a command ends other than with success, and the exit codes of
// `cairn` (scripts rely on them): 0 ok, 1 error, 2 usage, 3 a backup saved with errors,
// 130 interrupted.

export const EXIT = { ok: 0, error: 1, usage: 2, partial: 3, interrupted: 130 } as const;

/** Bad flags or arguments: one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure found by the CLI itself: one line, exit `exitCode` (1 by default). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Ctrl-C: exit 130. The message says what is left running, if anything. */
export class InterruptedError extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}
