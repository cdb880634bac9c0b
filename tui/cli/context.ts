// tui/cli/context.ts — what a command runs with: the process's streams and environment
// (injected, so tests and the TUI can run commands too), the global options, one lazily
// made ApiClient, and the CLI's output rules (`--json`: the API's JSON alone on stdout;
// people: text on stdout, problems on stderr).
import type { Env } from '../../shared/paths.js';
import { AddressError, ApiClient, resolveEndpoint, resolveToken } from '../client/index.js';
import { UsageError } from './errors.js';

export interface CliStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
  setEncoding(enc: BufferEncoding): unknown;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  stdin: CliInput;
  env: Env;
  cwd: string;
  /** Calls `fn` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(fn: () => void): () => void;
}

/** Options every command takes (they may come before or after the command's name). */
export interface GlobalOptions {
  socket?: string;
  url?: string;
  token?: string;
  repo?: string;
  json?: boolean;
}

export class CliContext {
  private apiClient: ApiClient | null = null;

  constructor(readonly io: CliIo, readonly options: GlobalOptions) {}

  /** Machine output: only the final API JSON goes to stdout. */
  get json(): boolean {
    return this.options.json === true;
  }

  /** Whether to draw progress: stderr is a terminal and the output is not JSON. */
  get interactive(): boolean {
    return !this.json && this.io.stderr.isTTY === true;
  }

  /** The client for this run; a bad address is a usage error. */
  client(): ApiClient {
    if (this.apiClient) return this.apiClient;
    try {
      const endpoint = resolveEndpoint({ socket: this.options.socket, url: this.options.url }, this.io.env, this.io.cwd);
      const token = resolveToken(endpoint, this.options.token, this.io.env);
      this.apiClient = new ApiClient({ endpoint, token, repository: this.options.repo ?? this.io.env.CAIRN_REPO ?? null });
    } catch (err) {
      if (err instanceof AddressError) throw new UsageError(err.message);
      throw err;
    }
    return this.apiClient;
  }

  /** A line for people on stdout (never in `--json` mode). */
  print(line = ''): void {
    if (!this.json) this.io.stdout.write(line + '\n');
  }

  /** The API's JSON on stdout. */
  printJson(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** A line on stderr. */
  warn(line: string): void {
    this.io.stderr.write(line + '\n');
  }

  /** Closes the connections; `abrupt` drops them without waiting (Ctrl-C). */
  async close(abrupt = false): Promise<void> {
    const c = this.apiClient;
    this.apiClient = null;
    if (!c) return;
    await (abrupt ? c.destroy() : c.close()).catch(() => undefined);
  }
}
