// tui/cli/command.ts — what the command files share: how a command is registered on the
// program and run (`run` makes the context from the global options and records the exit
// code), repeatable options, and `SNAPSHOT[:PATH]` arguments.
import type { Command } from 'commander';
import { parseSnapshotRef, SnapshotRefError } from '../../shared/snapshot-ref.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

/** Runs a command body with its context; the number it returns is the exit code. */
export type Run = (cmd: Command, fn: (ctx: CliContext) => Promise<number>) => Promise<void>;

/** Adds one command (and its options) to the program. */
export type Register = (program: Command, run: Run) => void;

/** For repeatable options: `--tag a --tag b` → ['a', 'b']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export interface SnapshotArg {
  /** The SNAPSHOT part as typed (an id, a prefix or `latest`). */
  snapshot: string;
  /** The path bytes after `:` (percent-decoded once, with a leading `/`), or null. */
  path: Buffer | null;
}

/** Parses `SNAPSHOT[:PATH]` as the API does (shared/snapshot-ref.ts); malformed is a usage error. */
export function parseSnapshotArg(text: string): SnapshotArg {
  try {
    const ref = parseSnapshotRef(text);
    const colon = text.indexOf(':');
    return { snapshot: colon < 0 ? text : text.slice(0, colon), path: ref.hasPath ? ref.path : null };
  } catch (err) {
    if (err instanceof SnapshotRefError) throw new UsageError(`${text}: ${err.message}`);
    throw err;
  }
}
