// tui/main.ts — the `cairn` program: bin/cairn.cjs calls main(argv) and exits with the
// number it returns. Wires the CLI (tui/cli) to this process's streams, environment
// and SIGINT.
import { runCli, type CliIo } from './cli/index.js';

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Opened only when a command reads it (a passphrase prompt).
    get stdin() { return process.stdin; },
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(fn) {
      const handler = (): void => fn();
      process.on('SIGINT', handler);
      return () => { process.removeListener('SIGINT', handler); };
    },
  };
}

/** Runs `cairn` with the arguments after the program name; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // `cairn snapshots | head`: a closed stdout ends the run quietly, as for other tools.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return runCli(argv, processIo());
}
