// shared/snapshot-ref.ts — `SNAPSHOT[:path]` references (API.md "Conventions"). SNAPSHOT is
// a 64-hex id, a prefix of 4+ hex digits or `latest`; everything after the first `:` is
// percent-decoded once into bytes (a Buffer: names need not be UTF-8), with a leading `/`
// added; no `:` means `/`. Pure; used by the daemon's handlers and by clients.

/** Which snapshot a reference names; resolving it (unknown, ambiguous) is the daemon's job. */
export type SnapshotSelector =
  | { kind: 'latest' }
  | { kind: 'id'; id: string }
  | { kind: 'prefix'; prefix: string };

export interface SnapshotRef {
  snapshot: SnapshotSelector;
  /** Absolute path bytes inside the snapshot; `/` when the reference had no path. */
  path: Buffer;
  /** Whether the reference had a `:` part. */
  hasPath: boolean;
}

/** A malformed reference; the API answers it 400 invalid_params with params[field]. */
export class SnapshotRefError extends Error {
  readonly field: 'snapshot' | 'path';
  constructor(field: 'snapshot' | 'path', message: string) {
    super(message);
    this.name = 'SnapshotRefError';
    this.field = field;
  }
}

const HEX = /^[0-9a-fA-F]+$/;
export const ID_HEX_LENGTH = 64;
export const MIN_PREFIX_LENGTH = 4;

/** Parses the SNAPSHOT part alone (no `:`). Hex is returned lowercase. */
export function parseSnapshotSelector(s: string): SnapshotSelector {
  if (s === 'latest') return { kind: 'latest' };
  if (!HEX.test(s)) {
    throw new SnapshotRefError('snapshot', s === '' ? 'missing snapshot id' : `snapshot id "${s}" is not hex or "latest"`);
  }
  if (s.length < MIN_PREFIX_LENGTH) throw new SnapshotRefError('snapshot', `snapshot id prefix "${s}" is shorter than ${MIN_PREFIX_LENGTH} hex digits`);
  if (s.length > ID_HEX_LENGTH) throw new SnapshotRefError('snapshot', `snapshot id is longer than ${ID_HEX_LENGTH} hex digits`);
  const hex = s.toLowerCase();
  return hex.length === ID_HEX_LENGTH ? { kind: 'id', id: hex } : { kind: 'prefix', prefix: hex };
}

/** Parses `SNAPSHOT[:path]`, the path still percent-encoded as it came in a URL. */
export function parseSnapshotRef(raw: string): SnapshotRef {
  const colon = raw.indexOf(':');
  const snapshot = parseSnapshotSelector(colon < 0 ? raw : raw.slice(0, colon));
  if (colon < 0) return { snapshot, path: Buffer.from('/'), hasPath: false };
  const bytes = percentDecode(raw.slice(colon + 1));
  const path = bytes[0] === 0x2f ? bytes : Buffer.concat([Buffer.from('/'), bytes]);
  return { snapshot, path, hasPath: true };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Decodes `%XX` escapes once into bytes; other characters are taken as UTF-8. */
export function percentDecode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c !== 0x25) { out[n++] = c; continue; }
    const hi = i + 2 < src.length ? hexValue(src[i + 1]!) : -1;
    const lo = hi >= 0 ? hexValue(src[i + 2]!) : -1;
    if (lo < 0) throw new SnapshotRefError('path', `bad percent-escape at character ${i + 1} of the path`);
    out[n++] = hi * 16 + lo;
    i += 2;
  }
  return out.subarray(0, n);
}

/** Percent-encodes path bytes for a URL: everything but unreserved characters and `/`. */
export function percentEncodePath(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
      || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e || b === 0x2f;
    out += unreserved ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The reference to put in a URL: `SNAPSHOT` or `SNAPSHOT:/encoded/path`. */
export function formatSnapshotRef(snapshot: string, path?: Uint8Array | string): string {
  if (path === undefined) return snapshot;
  const bytes = typeof path === 'string' ? Buffer.from(path, 'utf8') : path;
  return `${snapshot}:${percentEncodePath(bytes)}`;
}
