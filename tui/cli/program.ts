// tui/cli/program.ts — the `cairn` command line: commander parses the arguments (usage
// errors become one line and exit 2, --help prints help and exits 0), the command runs
// with a CliContext, and whatever ends it becomes one line on stderr and an exit code
// (errors.ts's EXIT). Never a stack trace.
import { Command, CommanderError } from 'commander';
import { CAIRN_VERSION } from '../../shared/version.js';
import { AddressError, ApiError, ConnectionError } from '../client/index.js';
import type { Run } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliContext, type CliIo, type GlobalOptions } from './context.js';
import { CliError, EXIT, InterruptedError, UsageError } from './errors.js';

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

function buildProgram(io: CliIo, run: Run): Command {
  const program = new Command('cairn');
  program
    .description('talk to cairnd, the deduplicating encrypted backup daemon')
    .version(CAIRN_VERSION, '-V, --version')
    .option('--socket <path>', 'cairnd\'s Unix socket (env CAIRN_SOCKET)')
    .option('--url <url>', 'cairnd over TCP, e.g. http://127.0.0.1:9595 (env CAIRN_URL)')
    .option('--token <token>', 'API token for TCP (env CAIRN_TOKEN; default: the admin token file)')
    .option('--repo <name>', 'act on this registered repository (env CAIRN_REPO)')
    .option('--json', 'print the API\'s JSON on stdout and nothing else')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => { io.stdout.write(s); },
      writeErr: (s) => { io.stderr.write(s); },
      outputError: (s, write) => write(`cairn: ${oneLine(s.replace(/^error: /, ''))}\n`),
    })
    .exitOverride();
  for (const register of COMMANDS) register(program, run);
  return program;
}

/** One line on stderr and the exit code for whatever ended a run. */
function report(io: CliIo, err: unknown): number {
  if (err instanceof CommanderError) {
    // Its message is already written (outputError); help and version end well.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
    return EXIT.usage;
  }
  const line = (msg: string): void => { io.stderr.write(`cairn: ${oneLine(msg)}\n`); };
  if (err instanceof UsageError || err instanceof AddressError) {
    line(err.message);
    return EXIT.usage;
  }
  if (err instanceof InterruptedError) {
    line(err.message);
    return EXIT.interrupted;
  }
  if (err instanceof CliError) {
    line(err.message);
    return err.exitCode;
  }
  if (err instanceof ApiError || err instanceof ConnectionError) {
    line(err.message);
    return EXIT.error;
  }
  line(err instanceof Error ? err.message : String(err));
  return EXIT.error;
}

/** Runs `cairn` with `argv` (the arguments after the program name); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const run: Run = async (cmd, fn) => {
    const ctx = new CliContext(io, cmd.optsWithGlobals<GlobalOptions>());
    let abrupt = false;
    try {
      code = await fn(ctx);
    } catch (err) {
      abrupt = err instanceof InterruptedError;
      throw err;
    } finally {
      await ctx.close(abrupt);
    }
  };
  try {
    await buildProgram(io, run).parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return report(io, err);
  }
}
