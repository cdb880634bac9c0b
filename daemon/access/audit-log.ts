// daemon/access/audit-log.ts — `$STATE/audit.log` (API.md "Access"): one JSON line per
// mutating request and per request refused by authentication or the permission check: time, method, route key, URL path (no
// query: a signed URL's signature stays out), status, principal (kind, role, key id, uid,
// how it proved itself), remote address. Never a token, a header or a body. Appended
// (0600) through one stream, in order; past MAX_AUDIT_BYTES the file becomes
// `audit.log.1` (one old file kept). Called by access.ts from the API's onResponse hook.
import { once } from 'node:events';
import { createWriteStream, renameSync, type WriteStream } from 'node:fs';
import { chmod, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../log.js';
import { SECRET_MODE } from './atomic-file.js';
import type { Principal } from './principal.js';

const log = logger('access');

export const AUDIT_FILE = 'audit.log';
/** bytes: the log is rotated once it grows past this. */
export const MAX_AUDIT_BYTES = 64 * 1024 * 1024;

export interface AuditEntry {
  /** RFC 3339 */
  time: string;
  event: 'request' | 'auth_failure';
  method: string;
  /** The route key of shared/routes.ts, or null for an unknown URL. */
  route: string | null;
  /** The URL path, without its query. */
  path: string;
  status: number;
  principal: { kind: Principal['kind']; role: Principal['role']; key_id: string | null; via: Principal['via']; uid: number | null } | null;
  /** The socket peer's uid on the Unix socket (whoever it is), else null. */
  uid: number | null;
  /** `unix`, or the TCP peer's address. */
  remote: string;
  /** Why authentication or the permission check failed (auth_failure only). */
  reason?: string;
}

export class AuditLog {
  readonly #file: string;
  readonly #maxBytes: number;
  #stream: WriteStream;
  #size: number;

  private constructor(file: string, size: number, maxBytes: number) {
    this.#file = file;
    this.#size = size;
    this.#maxBytes = maxBytes;
    this.#stream = this.#open();
  }

  static async open(stateDir: string, maxBytes = MAX_AUDIT_BYTES): Promise<AuditLog> {
    const file = join(stateDir, AUDIT_FILE);
    let st = await stat(file).catch(() => null);
    if (st && st.size >= maxBytes) {
      await rename(file, `${file}.1`);
      st = null;
    }
    if (st && (st.mode & 0o077)) await chmod(file, SECRET_MODE);
    return new AuditLog(file, st?.size ?? 0, maxBytes);
  }

  get file(): string {
    return this.#file;
  }

  #open(): WriteStream {
    const s = createWriteStream(this.#file, { flags: 'a', mode: SECRET_MODE });
    s.on('error', (e) => log.error('cannot write the audit log', { file: this.#file, error: e.message }));
    return s;
  }

  /** Appends one line; never throws (a write error is logged). */
  write(entry: AuditEntry): void {
    const line = JSON.stringify(entry) + '\n';
    if (this.#size > 0 && this.#size + line.length > this.#maxBytes) this.#rotate();
    this.#size += Buffer.byteLength(line);
    this.#stream.write(line);
  }

  /** The current file becomes `audit.log.1`; lines still buffered in the old stream land
   *  there (it keeps its fd), new ones in a new file. Once per MAX_AUDIT_BYTES: sync. */
  #rotate(): void {
    this.#stream.end();
    try {
      renameSync(this.#file, `${this.#file}.1`);
    } catch (e) {
      log.error('cannot rotate the audit log', { file: this.#file, error: (e as Error).message });
    }
    this.#stream = this.#open();
    this.#size = 0;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const s = this.#stream;
    if (s.closed || s.destroyed) return;
    const closed = once(s, 'close');
    s.end();
    await closed;
  }
}
