// test/e2e/api.ts — what the end-to-end suites share: JSON calls to a real cairnd over its
// socket with curl, the check that an error answer is API.md's error body (code, status,
// no stack trace, no path of the daemon's own files), walking a source tree, and a cairnd
// that runs as nobody.
import { chownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import { curlSock, startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { isRoot } from '../helpers/tree.js';

/** An answer: status, the body parsed as JSON (typed by the caller, null if not JSON), text. */
export interface Answer<T = unknown> { status: number; json: T; text: string }


export async function get<T = unknown>(d: Pick<Cairnd, 'socket'>, path: string): Promise<Answer<T>> {
  const r = await curlSock(d, [path]);
  return { status: r.status, json: r.json as T, text: r.stdout };
}

/** POST (or another method) with a JSON body; a string body is sent as it is. */
export async function post<T = unknown>(d: Pick<Cairnd, 'socket'>, path: string, body: unknown, method = 'POST'): Promise<Answer<T>> {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  const r = await curlSock(d, ['-X', method, '-H', 'content-type: application/json', '--data-binary', data, path]);
  return { status: r.status, json: r.json as T, text: r.stdout };
}

/** Asserts API.md's error body with this status and code; returns its params. */
export function isError(t: Test, a: Answer, status: number, code: string, what: string): Record<string, unknown> {
  t.equal(a.status, status, `${what}: status ${status} (${a.text.slice(0, 300)})`);
  const e = (a.json as { error?: { code?: unknown; message?: unknown; params?: unknown } } | null)?.error;
  t.ok(e && typeof e.message === 'string' && typeof e.params === 'object' && e.params !== null, `${what}: the error body`);
  t.equal(e?.code, code, `${what}: code ${code}`);
  t.equal(Object.keys((a.json ?? {}) as object).join(), 'error', `${what}: nothing beside "error"`);
  t.notMatch(a.text, /\n\s+at |\/dist\/|node_modules|\.js:\d+/, `${what}: no stack trace or daemon path`);
  return (e?.params ?? {}) as Record<string, unknown>;
}

export async function healthy(t: Test, d: Pick<Cairnd, 'socket'>, what: string): Promise<void> {
  const h = await get(d, '/api/health');
  t.equal(h.status, 200, `still serving after ${what}`);
}

/** Counts the entries below `root` (not itself) by kind, walking with Buffer paths. */
export function countEntries(root: string | Buffer): { dirs: number; others: number; files: number } {
  const out = { dirs: 0, others: 0, files: 0 };
  const walk = (p: Buffer): void => {
    for (const n of readdirSync(p, { encoding: 'buffer' })) {
      const c = Buffer.concat([p, Buffer.from('/'), n]);
      const st = lstatSync(c);
      if (st.isDirectory()) {
        out.dirs++;
        walk(c);
      } else {
        out.others++;
        if (st.isFile()) out.files++;
      }
    }
  };
  walk(Buffer.from(root));
  return out;
}

/** A cairnd running as uid 65534 when the tests run as root (root reads any file, so a
 *  file it cannot read needs a daemon that is not root); as the test's own user otherwise.
 *  `user` is the uid it runs as (undefined: the test's own), to chown what it must write. */
export async function startCairndAsNobody(t: Test): Promise<{ d: Cairnd; user: number | undefined }> {
  const user = isRoot ? 65534 : undefined;
  const dir = tmpDir(t, 'cairnd-');
  mkdirSync(join(dir, 'state'));
  if (user !== undefined) {
    chownSync(dir, user, user);
    chownSync(join(dir, 'state'), user, user);
  }
  return { d: await startCairnd(t, { dir, ...(user !== undefined ? { asUser: user } : {}) }), user };
}
