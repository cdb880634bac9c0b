// test/helpers/daemon.ts — what the daemon-side tests share: a fake clock, an API built
// with createApi on a temp state dir (in-process inject, or real listeners on a temp
// socket and port 0), curl over either, and an SSE reader.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Access } from '../../daemon/access/index.js';
import {
  createApi, jobHandlers, metaHandlers, type Api, type Handlers, type HttpSettings, type Listening,
} from '../../daemon/api/index.js';
import { DEFAULTS } from '../../daemon/config/index.js';
import { JobManager, type Clock } from '../../daemon/jobs/index.js';
import { tmpDir } from './tmp.js';
import { sseParser } from './sse.js';

interface T { teardown(fn: () => void | Promise<void>): void }

/** A clock that moves only when told; due timers fire in order during advance(). */
export class FakeClock implements Clock {
  #now = Date.parse('2026-01-01T00:00:00Z');
  #timers: Array<{ at: number; fn: () => void }> = [];

  now(): number { return this.#now; }

  setTimeout(fn: () => void, ms: number): unknown {
    const h = { at: this.#now + ms, fn };
    this.#timers.push(h);
    return h;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((h) => h !== handle);
  }

  get pendingTimers(): number { return this.#timers.length; }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((h) => h.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((h) => h !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = end;
  }
}

export interface TestApi {
  api: Api;
  jobs: JobManager;
  access: Access;
  stateDir: string;
  token: string;
}

export interface TestApiOptions {
  handlers?: Handlers;
  bodyLimit?: number;
  clock?: Clock;
  keepAliveMs?: number;
  maxBackups?: number;
  /** Overrides of the HTTP timeouts (ms). */
  http?: Partial<HttpSettings>;
}

/** createApi over a temp state dir with the meta and jobs handlers plus `handlers`. */
export async function makeTestApi(t: T, opts: TestApiOptions = {}): Promise<TestApi> {
  const stateDir = tmpDir(t, 'cairn-api-');
  const jobs = await JobManager.open({
    dir: join(stateDir, 'jobs'), ...(opts.clock ? { clock: opts.clock } : {}), maxBackups: opts.maxBackups ?? 2,
  });
  const access = await Access.open({ stateDir });
  const token = readFileSync(join(stateDir, 'admin.token'), 'utf8').trim();
  const api = createApi({
    access, jobs, version: '0.0.0-test',
    http: { ...DEFAULTS.http, ...opts.http, body_limit: opts.bodyLimit ?? DEFAULTS.http.body_limit },
    handlers: {
      ...metaHandlers({ version: '0.0.0-test', repositoryId: () => 'r'.repeat(64) }),
      ...jobHandlers(jobs, opts.keepAliveMs !== undefined ? { keepAliveMs: opts.keepAliveMs } : {}),
      ...opts.handlers,
    },
  });
  t.teardown(async () => {
    await jobs.close();
    await api.app.close();
  });
  return { api, jobs, access, stateDir, token };
}

/** Real listeners: a Unix socket in the state dir and TCP on 127.0.0.1, any free port. */
export async function listenTestApi(t: T, ta: TestApi): Promise<Listening & { socketPath: string; tcpAddress: string }> {
  const l = await ta.api.listen({
    socket: { path: join(ta.stateDir, 'cairn.sock'), mode: 0o600, group: null },
    tcp: { host: '127.0.0.1', port: 0 },
  });
  t.teardown(() => l.close());
  return l as Listening & { socketPath: string; tcpAddress: string };
}

export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs curl (args after the URL options) and splits its `-i` output. */
export function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '-i', '--path-as-is', ...args], { encoding: 'latin1' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl failed: ${stderr || err.message}`));
      const split = stdout.indexOf('\r\n\r\n');
      const head = stdout.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const c = line.indexOf(':');
        headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
      }
      resolve({ status: Number(head[0]!.split(' ')[1]), headers, body: stdout.slice(split + 4) });
    });
  });
}

export interface SseEvent { event: string; data: unknown }

/** Reads an SSE stream over the Unix socket until it ends; `onEvent` and `onComment` see
 *  each event and `:` comment as it arrives (to act on the job meanwhile). */
export function readSse(socketPath: string, path: string, onEvent: (e: SseEvent) => void = () => {},
  onComment: (text: string) => void = () => {}):
  Promise<{ status: number; contentType: string; events: SseEvent[]; comments: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      res.setEncoding('utf8');
      res.on('data', sseParser((f) => {
        for (const c of f.comments) {
          comments.push(c);
          onComment(c);
        }
        if (f.data !== null) {
          const e = { event: f.event ?? 'message', data: JSON.parse(f.data) as unknown };
          events.push(e);
          onEvent(e);
        }
      }));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), events, comments }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
