// test/tui/fake-cairnd.ts — a small stand-in for cairnd for the CLI's tests: an HTTP
// server on a temp Unix socket (or 127.0.0.1:0) that records every request and answers
// from a table of handlers, with API.md's shapes for jobs and their SSE stream; and
// runCairn, which runs `node bin/cairn.cjs` as a child process against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Job } from '../../shared/schemas/index.js';
import { runCli } from '../../tui/cli/index.js';

/** The repository root (tests run from dist/test/tui/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'cairn.cjs');

export interface Recorded {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Handler = (req: Recorded, res: ServerResponse) => void | Promise<void>;

export interface FakeCairnd {
  requests: Recorded[];
  /** `METHOD /path` (no query) → handler; replaces an existing one. */
  on(route: string, handler: Handler): void;
  /** Resolves when a request for `METHOD /path` has arrived. */
  waitFor(route: string): Promise<Recorded>;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, params: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: { code, message, params } });
}

export function makeJob(id: string, over: Partial<Job> = {}): Job {
  return {
    id, kind: 'backup', status: 'running', repository: 'main',
    progress: { stage: 'backing up', percent: 50, files_done: 1, files_total: 2, bytes_done: 10, bytes_total: 20, rate_bps: 5, eta_s: 2 },
    params: {}, result: null, error: null, trigger: 'api', schedule_id: null,
    created_at: '2024-05-01T12:00:00.000Z', started_at: '2024-05-01T12:00:00.000Z', ended_at: null, ...over,
  };
}

/** Streams `progress` (after a keep-alive comment), a `log`, then `end` with `ended`. */
export function streamJob(res: ServerResponse, running: Job, ended: Job): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keep-alive\n\n');
  res.write(`event: progress\ndata: ${JSON.stringify(running)}\n\n`);
  res.write(`event: log\ndata: ${JSON.stringify({ ts: running.created_at, level: 'info', message: 'hello' })}\n\n`);
  res.end(`event: end\ndata: ${JSON.stringify(ended)}\n\n`);
}

/** Answers a job route with 202 {job} and serves the job's stream and final state. */
export function serveJob(fake: FakeCairnd, route: string, ended: Job): void {
  const running = makeJob(ended.id, { kind: ended.kind, status: 'running', result: null, error: null });
  fake.on(route, (_req, res) => sendJson(res, 202, { job: running }));
  fake.on(`GET /api/jobs/${ended.id}/stream`, (_req, res) => streamJob(res, running, ended));
  fake.on(`GET /api/jobs/${ended.id}`, (_req, res) => sendJson(res, 200, ended));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Listens on `socketPath`, or on 127.0.0.1:0 when it is null (then `port` is set). */
export async function startFakeCairnd(socketPath: string | null): Promise<FakeCairnd & { port: number }> {
  const handlers = new Map<string, Handler>();
  const waiters = new Map<string, Array<(r: Recorded) => void>>();
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const rec: Recorded = {
        method: req.method ?? 'GET', url: req.url ?? '/', path: u.pathname, query: u.searchParams,
        headers: req.headers, body: await readBody(req),
      };
      requests.push(rec);
      const key = `${rec.method} ${rec.path}`;
      for (const w of waiters.get(key)?.splice(0) ?? []) w(rec);
      const h = handlers.get(key);
      if (!h) return sendError(res, 404, 'not-found', `no route ${key}`);
      await h(rec, res);
    })().catch((err: unknown) => sendError(res, 500, 'internal-error', String(err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketPath) server.listen(socketPath, resolve);
    else server.listen(0, '127.0.0.1', resolve);
  });
  const port = socketPath ? 0 : (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    on(route, handler) { handlers.set(route, handler); },
    waitFor(route) {
      const seen = requests.find((r) => `${r.method} ${r.path}` === route);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const list = waiters.get(route) ?? [];
        list.push(resolve);
        waiters.set(route, list);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Called once the child is spawned (to signal it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs the built CLI with a clean environment: HOME is `cwd`, no CAIRN_* or XDG_* variables. */
export function runCairn(args: string[], opts: RunOptions): Promise<RunResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.cwd, TZ: 'UTC', ...opts.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    opts.onSpawn?.(child);
  });
}

interface Teardown { teardown(fn: () => void | Promise<void>): void }

export interface Setup {
  dir: string;
  sock: string;
  fake: FakeCairnd;
  /** Runs `cairn --socket SOCK ...args` in `dir`, as a child process (bin/cairn.cjs). */
  cairn(args: string[], env?: Record<string, string>, onSpawn?: (child: ChildProcess) => void): Promise<RunResult>;
  /** The same in this process (runCli, as bin/cairn.cjs's main calls it): faster. */
  run(args: string[], env?: Record<string, string>): Promise<RunResult>;
}

/** Runs the CLI in this process with memIo; `args` are given as they are. */
export async function runInProcess(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  const io = await memIo(cwd, env);
  const code = await runCli(args, io);
  return { code, signal: null, stdout: io.stdout.text, stderr: io.stderr.text };
}

/** A temp dir (removed at the end), a fake cairnd on `dir/cairnd.sock` (closed at the end). */
export async function setup(t: Teardown, tmpDir: (t: Teardown) => string): Promise<Setup> {
  const dir = tmpDir(t);
  const sock = join(dir, 'cairnd.sock');
  const fake = await startFakeCairnd(sock);
  t.teardown(() => fake.close());
  return {
    dir, sock, fake,
    cairn: (args, env, onSpawn) => runCairn(['--socket', sock, ...args], { cwd: dir, ...(env ? { env } : {}), ...(onSpawn ? { onSpawn } : {}) }),
    run: (args, env) => runInProcess(['--socket', sock, ...args], dir, env),
  };
}

export interface MemIo {
  stdout: { write(s: string): boolean; isTTY: boolean; columns: number; text: string };
  stderr: { write(s: string): boolean; isTTY: boolean; columns: number; text: string };
  stdin: PassThrough & { isTTY?: boolean };
  env: Record<string, string>;
  cwd: string;
  onInterrupt(fn: () => void): () => void;
  /** Calls the registered Ctrl-C handlers, as SIGINT would. */
  interrupt(): void;
}

function memStream(isTTY: boolean): MemIo['stdout'] {
  const s = { isTTY, columns: 100, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s;
}

/** Streams, environment and SIGINT for running the CLI in this process (runCli). */
export async function memIo(cwd: string, env: Record<string, string> = {}, tty = false): Promise<MemIo> {
  const handlers = new Set<() => void>();
  return {
    stdout: memStream(tty), stderr: memStream(tty), stdin: new PassThrough(), env: { HOME: cwd, ...env }, cwd,
    onInterrupt(fn) { handlers.add(fn); return () => { handlers.delete(fn); }; },
    interrupt() { for (const fn of handlers) fn(); },
  };
}
