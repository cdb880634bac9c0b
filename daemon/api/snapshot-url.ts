// daemon/api/snapshot-url.ts — `SNAPSHOT:path` in URLs (DESIGN §4). find-my-way rejects a
// URL whose escapes are not UTF-8 (`%E9`, `%FF`) before routing, so rewriteUrl escapes
// every `%` after the first `:` of the path (the route still matches, as a wildcard);
// handlers read the reference from the original URL and decode the path once into bytes.
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { parseSnapshotRef, parseSnapshotSelector, type SnapshotRef } from '../../shared/snapshot-ref.js';

/** fastify's rewriteUrl: `%` → `%25` in the path part after its first `:`. */
export function rewriteUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const colon = path.indexOf(':');
  if (colon < 0 || !path.includes('%', colon)) return url;
  return path.slice(0, colon + 1) + path.slice(colon + 1).replaceAll('%', '%25') + (q < 0 ? '' : url.slice(q));
}

/** Bytes Node read as latin1 (an unescaped non-ASCII byte in the request target) back
 *  to percent-escapes, so that decoding sees the bytes the client sent. */
function escapeHighBytes(s: string): string {
  return /[^\x00-\x7f]/.test(s)
    ? s.replace(/[\u0080-\u00ff]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()) : s;
}

/** The raw `SNAPSHOT[:path]` of a request: for a wildcard route (`…/*`) everything in the
 *  original path after the route's fixed segments; otherwise `params.id`. */
export function rawSnapshotRef(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? '';
  if (!url.endsWith('*')) return String((request.params as Record<string, unknown>).id ?? '');
  const fixed = url.slice(0, -1).split('/').length - 1;
  const original = request.originalUrl;
  const q = original.indexOf('?');
  const path = escapeHighBytes(q < 0 ? original : original.slice(0, q));
  return path.split('/').slice(fixed).join('/');
}

/** The request's snapshot reference, parsed; throws SnapshotRefError (→ 400). */
export function snapshotRefOf(request: FastifyRequest): SnapshotRef {
  const url = request.routeOptions.url ?? '';
  const raw = rawSnapshotRef(request);
  if (url.endsWith('*')) return parseSnapshotRef(raw);
  return { snapshot: parseSnapshotSelector(raw), path: Buffer.from('/'), hasPath: false };
}
