// test/helpers/cairnd.ts — a real cairnd process on a temp state dir, socket and a free
// TCP port, started through bin/cairnd.cjs exactly as users start it; waits for its
// `cairnd ready` line; stopped (SIGTERM, then SIGKILL) at teardown, pass or fail. Also
// curl over its socket and the CLI as a child process.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpDir } from './tmp.js';

interface T { teardown(fn: () => void | Promise<void>): void }

export const REPO_ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const CAIRND = join(REPO_ROOT, 'bin', 'cairnd.cjs');
const CAIRN = join(REPO_ROOT, 'bin', 'cairn.cjs');

export interface CairndOptions {
  /** reuse a directory (restart after a crash); default a new temp dir */
  dir?: string;
  /** the default repository's path; default `<dir>/repo` */
  repo?: string;
  env?: Record<string, string>;
  args?: string[];
  /** run as this uid/gid with setpriv (root only), e.g. 65534 */
  asUser?: number;
  /** don't fail when it exits before ready (for tests of refusals) */
  expectFailure?: boolean;
}

export interface Cairnd {
  dir: string;
  stateDir: string;
  socket: string;
  tcp: string;
  repo: string;
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  /** resolves with the exit code (or signal name) when the process ends */
  exited: Promise<number | string>;
  token(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function startCairnd(t: T, o: CairndOptions = {}): Promise<Cairnd> {
  const dir = o.dir ?? tmpDir(t, 'cairnd-');
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const socket = join(dir, 'cairn.sock');
  const repo = o.repo ?? join(dir, 'repo');
  const args = [CAIRND, '--state-dir', stateDir, '--socket', socket, '--listen', '127.0.0.1:0', '--repo', repo, ...(o.args ?? [])];
  const env: Record<string, string> = {
    ...process.env as Record<string, string>, CAIRN_KDF_N: '1024', CAIRN_PASSPHRASE: 'test passphrase',
    XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir,
    NODE_OPTIONS: '', ...o.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  // Through `env -u NODE_OPTIONS`: tap's process-info hook re-adds its --import to every
  // child's NODE_OPTIONS, and that loader would start libuv's pool before bin/cairnd.cjs
  // sizes it — the daemon must run as users run it.
  const cmd = 'env';
  const argv = ['-u', 'NODE_OPTIONS', ...(o.asUser !== undefined
    ? ['setpriv', `--reuid=${o.asUser}`, `--regid=${o.asUser}`, '--clear-groups', process.execPath, ...args]
    : [process.execPath, ...args])];
  const proc = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const d: Cairnd = {
    dir, stateDir, socket, tcp: '', repo, proc, stdout: '', stderr: '',
    exited: new Promise((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig ?? -1))),
    token: () => readFileSync(join(stateDir, 'admin.token'), 'utf8').trim(),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await d.exited;
      clearTimeout(timer);
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await d.exited;
    },
  };
  proc.stderr!.on('data', (b: Buffer) => { d.stderr += b.toString(); });
  t.teardown(() => d.stop());
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (b: Buffer) => {
      d.stdout += b.toString();
      const m = /cairnd ready socket=(\S+) tcp=(\S+)/.exec(d.stdout);
      if (m) {
        d.tcp = m[2]!;
        resolve();
      }
    });
    void d.exited.then((code) => (o.expectFailure ? resolve() : reject(new Error(`cairnd exited (${code}) before ready: ${d.stderr.slice(-2000)}`))));
  });
  return d;
}

export interface Run { code: number; stdout: string; stderr: string }

/** curl over the daemon's socket: `curlSock(d, ['-XPOST', '/api/...'])`; the last
 *  argument starting with / is the path. Returns status in `code` (via -w). */
export function curlSock(d: Pick<Cairnd, 'socket'>, args: string[]): Promise<Run & { status: number; json: unknown }> {
  const path = args[args.length - 1]!;
  const rest = args.slice(0, -1);
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--unix-socket', d.socket, '-w', '\n%{http_code}', ...rest, `http://cairn${path}`], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const i = stdout.lastIndexOf('\n');
      const body = stdout.slice(0, i);
      let json: unknown = null;
      try { json = JSON.parse(body); } catch { /* not JSON */ }
      resolve({ code: err ? 1 : 0, stdout: body, stderr, status: Number(stdout.slice(i + 1)), json });
    });
  });
}

/** The CLI as a child process, against the daemon's socket. */
export function cairn(d: Pick<Cairnd, 'socket'> | null, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const e: Record<string, string> = { ...process.env as Record<string, string>, NODE_OPTIONS: '', ...(d ? { CAIRN_SOCKET: d.socket } : {}), ...env };
    execFile('env', ['-u', 'NODE_OPTIONS', process.execPath, CAIRN, ...args], { env: e, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
