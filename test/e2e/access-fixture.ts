// test/e2e/access-fixture.ts — what the access end-to-end suites share: curl over TCP with
// a bearer token, over the socket as another uid (setpriv), and a cairnd holding a
// snapshot and one key per role, plus a key that has expired: created with
// `expires_at` one hour ahead, then the daemon restarted with its access clock two hours
// ahead (`CAIRN_TEST=1 CAIRN_TEST_CLOCK_OFFSET_MS`).
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnd, curlSock, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';

interface T { teardown(fn: () => void | Promise<void>): void }

export interface Reply { status: number; body: string; json: unknown; headers: Record<string, string> }

/** curl with `args` before the URL; `-i` output split into status, headers and body. */
export function curlRaw(args: string[], url: string, prefix: string[] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    execFile(prefix[0] ?? 'curl', [...prefix.slice(1), ...(prefix.length ? ['curl'] : []), '-sS', '-i', '--path-as-is', ...args, url],
      { maxBuffer: 64 << 20, encoding: 'latin1' }, (err, stdout, stderr) => {
        // A timeout (28) after the headers still has a status: event streams.
        if (err && !stdout.startsWith('HTTP/')) return reject(new Error(`curl ${url}: ${stderr || err.message}`));
        const split = stdout.indexOf('\r\n\r\n');
        const head = (split < 0 ? stdout : stdout.slice(0, split)).split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of head.slice(1)) {
          const c = line.indexOf(':');
          if (c > 0) headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
        }
        const body = split < 0 ? '' : stdout.slice(split + 4);
        let json: unknown = null;
        try { json = JSON.parse(body); } catch { /* not JSON */ }
        resolve({ status: Number(head[0]!.split(' ')[1]), body, json, headers });
      });
  });
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  /** JSON body (a string is sent as it is) */
  body?: unknown;
  /** seconds; for event streams */
  maxTime?: number;
}

function callArgs(o: CallOptions): string[] {
  const args: string[] = ['-X', o.method ?? 'GET'];
  if (o.token) args.push('-H', `authorization: Bearer ${o.token}`);
  if (o.body !== undefined) {
    args.push('-H', 'content-type: application/json', '--data-binary', typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  }
  if (o.maxTime !== undefined) args.push('--max-time', String(o.maxTime));
  return args;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** A request over TCP (node:http, kept alive: the matrix sends hundreds). An event stream
 *  is answered as soon as its headers arrive. */
export function tcp(d: Pick<Cairnd, 'tcp'>, path: string, o: CallOptions = {}): Promise<Reply> {
  const [host, port] = [d.tcp.slice(0, d.tcp.lastIndexOf(':')), Number(d.tcp.slice(d.tcp.lastIndexOf(':') + 1))];
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const data = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  if (data !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(data)); // DELETE bodies are not chunked by default
  }
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: o.method ?? 'GET', headers, agent }, (res) => {
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, body: '', json: null, headers: h });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        let json: unknown = null;
        try { json = JSON.parse(body); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body, json, headers: h });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A request over the Unix socket, as `uid` (setpriv) or as this process. */
export function sock(d: Pick<Cairnd, 'socket'>, path: string, o: CallOptions & { uid?: number } = {}): Promise<Reply> {
  const prefix = o.uid === undefined ? [] : ['setpriv', `--reuid=${o.uid}`, `--regid=${o.uid}`, '--clear-groups'];
  return curlRaw(['--unix-socket', d.socket, ...callArgs(o)], `http://cairn${path}`, prefix);
}

/** Runs `fn` over `items` with at most `n` at once, keeping order. */
export async function pool<I, O>(items: readonly I[], n: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

export const CLOCK_OFFSET_MS = 2 * 3_600_000;
export const NO_LIMITS = { auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 0 };

export interface KeyedDaemon {
  d: Cairnd;
  dir: string;
  src: string;
  snapshot: string;
  tokens: { admin: string; operator: string; reader: string; appender: string; expired: string };
  keyIds: Record<'operator' | 'reader' | 'appender' | 'expired', string>;
}

/** cairnd with `config` (JSON file), a snapshot of a small tree, a key per role and an
 *  expired key (see the header). The directory is traversable by other users, so a
 *  0666 socket in it is reachable by uid 65534. */
export async function keyedDaemon(t: T, config: Record<string, unknown>): Promise<KeyedDaemon> {
  const dir = tmpDir(t, 'cairn-access-');
  chmodSync(dir, 0o755);
  const configFile = join(dir, 'cairnd.json');
  writeFileSync(configFile, JSON.stringify(config));
  const src = join(dir, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'file.txt'), 'hello, access\n');
  writeFileSync(join(src, 'sub', 'code.js'), 'const x = 1;\n');
  const first = await startCairnd(t, { dir, args: ['--config', configFile] });
  const b = await curlSock(first, ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify({ source: src }), '/api/snapshots/create']);
  if (b.status !== 200) throw new Error(`backup failed: ${b.stdout}`);
  const snapshot = (b.json as { snapshot_id: string }).snapshot_id;
  const create = async (name: string, role: string, expires_at?: string) => {
    const r = await curlSock(first, ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify({ name, role, expires_at }), '/api/keys']);
    if (r.status !== 200) throw new Error(`keys.create ${name}: ${r.status} ${r.stdout}`);
    return r.json as { key: { id: string }; token: string };
  };
  const operator = await create('operator', 'operator');
  const reader = await create('reader', 'reader');
  const appender = await create('appender', 'appender');
  const expired = await create('soon-expired', 'admin', new Date(Date.now() + 3_600_000).toISOString());
  await first.stop();
  const d = await startCairnd(t, {
    dir, args: ['--config', configFile], env: { CAIRN_TEST: '1', CAIRN_TEST_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS) },
  });
  return {
    d, dir, src, snapshot,
    tokens: { admin: d.token(), operator: operator.token, reader: reader.token, appender: appender.token, expired: expired.token },
    keyIds: { operator: operator.key.id, reader: reader.key.id, appender: appender.key.id, expired: expired.key.id },
  };
}
