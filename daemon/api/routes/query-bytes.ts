// daemon/api/routes/query-bytes.ts — a query parameter as the bytes the client sent.
// Paths are bytes (API.md "Conventions"): `?path=%FF` must reach the handler as 0xFF, but
// the query parser keeps a value with a non-UTF-8 escape as undecoded text. Used by the
// browse routes for `path`, `path_b` and `resource`.
import type { FastifyRequest } from 'fastify';
import { invalidParam } from '../../errors.js';

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** `+` as a space, `%XX` as one byte; null for a bad escape. */
function decode(raw: Buffer): Buffer | null {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x2b) out[n++] = 0x20;
    else if (c !== 0x25) out[n++] = c;
    else {
      const hi = i + 2 < raw.length ? hex(raw[i + 1]!) : -1;
      const lo = hi >= 0 ? hex(raw[i + 2]!) : -1;
      if (lo < 0) return null;
      out[n++] = hi * 16 + lo;
      i += 2;
    }
  }
  return out.subarray(0, n);
}

/** The first non-empty value of `name` in the request's query, as bytes; undefined when absent. */
export function queryBytes(request: FastifyRequest, name: string): Buffer | undefined {
  const url = request.originalUrl;
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  // Node keeps an unescaped byte ≥ 0x80 of the request line as one latin1 character.
  const query = Buffer.from(url.slice(q + 1).split('#')[0]!, 'latin1');
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf(0x26, start);
    if (end < 0) end = query.length;
    const part = query.subarray(start, end);
    const eq = part.indexOf(0x3d);
    const key = decode(eq < 0 ? part : part.subarray(0, eq))?.toString('utf8');
    if (key === name && eq >= 0 && eq + 1 < part.length) {
      const value = decode(part.subarray(eq + 1));
      if (!value) throw invalidParam(name, `bad percent-escape in ${name}`);
      return value;
    }
    start = end + 1;
  }
  return undefined;
}

/** An absolute path from query bytes: a leading `/` added when missing (as in SNAPSHOT:path). */
export function absolutePathBytes(b: Buffer): Buffer {
  return b[0] === 0x2f ? b : Buffer.concat([Buffer.from('/'), b]);
}
