// test/e2e/events-client.ts — what the jobs and events suites need beside curl over the
// socket: a reader of cairnd's /api/events (on the socket, or on TCP with a token) that
// collects events until the test has seen enough, JSON calls over TCP with a token, and a small
// source for quick backup jobs.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest, type RequestOptions } from 'node:http';
import { join } from 'node:path';
import type { Cairnd } from '../helpers/cairnd.js';
import { sseParser } from '../helpers/sse.js';

export interface SseEvent { event: string; data: any }

export interface Follower {
  events: SseEvent[];
  /** Resolves once an event satisfies `test` (checked against every event so far, then each new one). */
  until(test: (e: SseEvent) => boolean): Promise<SseEvent>;
  close(): void;
}

/** Opens /api/events; resolves once the response has started. */
export function followEvents(d: Pick<Cairnd, 'socket' | 'tcp'>, token?: string): Promise<Follower> {
  const target: RequestOptions = token
    ? { host: d.tcp.split(':')[0], port: Number(d.tcp.split(':')[1]), headers: { authorization: `Bearer ${token}` } }
    : { socketPath: d.socket };
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: Array<{ test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = [];
    let req: ClientRequest | null = null;
    req = request({ ...target, path: '/api/events', method: 'GET' }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`/api/events answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', sseParser((f) => {
        if (!f.event) return;
        const e = { event: f.event, data: JSON.parse(f.data ?? '') as unknown };
        events.push(e);
        for (const w of waiters.splice(0)) {
          if (w.test(e)) w.resolve(e);
          else waiters.push(w);
        }
      }));
      res.on('error', () => {});
      resolve({
        events,
        until(test) {
          const found = events.find(test);
          return found ? Promise.resolve(found) : new Promise((r) => waiters.push({ test, resolve: r }));
        },
        close() { req?.destroy(); },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Answer<T = any> { status: number; json: T; text: string }

/** A JSON call over TCP with a bearer token. */
export function tcpCall<T = any>(d: Pick<Cairnd, 'tcp'>, token: string, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const args = ['-sS', '-X', method, '-H', `authorization: Bearer ${token}`, '-w', '\n%{http_code}'];
  if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(body));
  return new Promise((resolve) => {
    execFile('curl', [...args, `http://${d.tcp}${path}`], { maxBuffer: 16 << 20 }, (_err, stdout) => {
      const i = stdout.lastIndexOf('\n');
      const text = stdout.slice(0, i);
      let json: unknown = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: Number(stdout.slice(i + 1)), json: json as T, text });
    });
  });
}

/** A two-file source (600 kB random + a small file) under `work`, for a quick backup job. */
export function smallSource(work: string): string {
  const src = join(work, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'a'), randomBytes(600_000));
  writeFileSync(join(src, 'b'), 'small');
  return src;
}
