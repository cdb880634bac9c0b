// daemon/main.ts — the `cairnd` entry (bin/cairnd.cjs calls main(argv)).
//   flags (commander) → loadConfig (file, env, flags) → startDaemon → prints
//   `cairnd ready socket=PATH tcp=HOST:PORT|none` → READY=1 (+ watchdog)
//   → SIGTERM/SIGINT: STOPPING=1, close(), exit 0
// Bad flags or configuration: one line on stderr, exit 2.
import { Command, CommanderError } from 'commander';
import { CAIRN_VERSION } from '../shared/version.js';
import { loadConfig, type Config } from './config/index.js';
import { startDaemon } from './daemon.js';
import { logger } from './log.js';
import { tuneAllocator } from './memory.js';
import { notify, startWatchdog } from './systemd/index.js';

const log = logger('main');

interface Flags {
  config?: string;
  stateDir?: string;
  socket?: string;
  listen?: string;
  repo?: string;
  passphraseFile?: string;
  /** commander's name for `--no-auth` */
  auth?: boolean;
}

function usageError(message: string): never {
  process.stderr.write(`cairnd: ${message.replace(/^error: /, '')}\n`);
  process.exit(2);
}

function parseFlags(argv: string[]): Flags {
  const program = new Command('cairnd')
    .description('cairn backup daemon')
    .version(CAIRN_VERSION)
    .option('--config <file>', 'daemon settings (JSON); default $XDG_CONFIG_HOME/cairn/cairnd.json')
    .option('--state-dir <dir>', 'state directory')
    .option('--socket <path>', 'Unix socket path')
    .option('--listen <host:port|none>', 'TCP address, or "none"')
    .option('--repo <path>', 'the default repository')
    .option('--passphrase-file <file>', 'file holding the default repository\'s passphrase')
    .option('--no-auth', 'TCP without tokens, for development (loopback addresses only)')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) process.exit(0); // --help, --version
      usageError(e.message);
    }
    throw e;
  }
  return program.opts<Flags>();
}

export async function main(argv: string[]): Promise<void> {
  tuneAllocator();
  const flags = parseFlags(argv);
  let config: Config;
  try {
    config = loadConfig({
      ...(flags.config !== undefined ? { configFile: flags.config } : {}),
      flags: {
        state_dir: flags.stateDir, socket: flags.socket, listen: flags.listen,
        repository: flags.repo, passphrase_file: flags.passphraseFile,
        ...(flags.auth === false ? { no_auth: true } : {}),
      },
    });
  } catch (e) {
    usageError((e as Error).message);
  }

  const daemon = await startDaemon({ config, version: CAIRN_VERSION });
  process.stdout.write(`cairnd ready socket=${daemon.socketPath} tcp=${daemon.tcpAddress ?? 'none'}\n`);
  notify('READY=1');
  notify(`STATUS=listening on ${daemon.socketPath}${daemon.tcpAddress ? ` and ${daemon.tcpAddress}` : ''}`);
  const stopWatchdog = startWatchdog();

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    notify('STOPPING=1');
    stopWatchdog();
    daemon.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('shutdown failed', { error: (e as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
