// daemon/repository/records.ts — the snapshot record (what a snapshot object seals) and
// its index row. Records are msgpack maps written in this fixed key order (DESIGN §3).

import { encodeCanonical, decode } from '../msgpack.js';
import { CairnError } from '../errors.js';

export type Time = [number, number];

export interface SnapshotStats {
  files: number;
  dirs: number;
  symlinks: number;
  others: number;
  bytes: number;
  storedBytes: number;
  errors: number;
}

export interface SnapshotRecord {
  v: 1;
  time: Time;
  endTime: Time;
  host: string;
  user: string;
  paths: Buffer[];
  tags: string[];
  excludes: string[];
  root: Buffer;
  parent: Buffer | null;
  status: 'complete' | 'checkpoint';
  stats: SnapshotStats;
  errors: Buffer | null;
  program: string;
  jobId: string | null;
}

/** The index row: the record plus what the index alone knows. */
export interface SnapshotRow extends SnapshotRecord {
  generation: number;
  damaged: boolean;
}

export function encodeRecord(r: SnapshotRecord): Buffer {
  return encodeCanonical({
    v: r.v, time: r.time, endTime: r.endTime, host: r.host, user: r.user, paths: r.paths,
    tags: r.tags, excludes: r.excludes, root: r.root, parent: r.parent, status: r.status,
    stats: {
      files: r.stats.files, dirs: r.stats.dirs, symlinks: r.stats.symlinks, others: r.stats.others,
      bytes: r.stats.bytes, storedBytes: r.stats.storedBytes, errors: r.stats.errors,
    },
    errors: r.errors, program: r.program, jobId: r.jobId,
  });
}

function buf(x: unknown): Buffer {
  if (Buffer.isBuffer(x)) return x;
  if (x instanceof Uint8Array) return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  throw new CairnError('internal-error', 'malformed snapshot record');
}

export function decodeRecord(bytes: Uint8Array): SnapshotRecord {
  const o = decode(bytes) as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.v !== 1) throw new CairnError('internal-error', 'unknown snapshot record version');
  const s = (o.stats ?? {}) as Record<string, number>;
  return {
    v: 1,
    time: o.time as Time,
    endTime: o.endTime as Time,
    host: String(o.host),
    user: String(o.user),
    paths: (o.paths as unknown[]).map(buf),
    tags: (o.tags as string[]) ?? [],
    excludes: (o.excludes as string[]) ?? [],
    root: buf(o.root),
    parent: o.parent == null ? null : buf(o.parent),
    status: o.status === 'checkpoint' ? 'checkpoint' : 'complete',
    stats: {
      files: s.files ?? 0, dirs: s.dirs ?? 0, symlinks: s.symlinks ?? 0, others: s.others ?? 0,
      bytes: s.bytes ?? 0, storedBytes: s.storedBytes ?? 0, errors: s.errors ?? 0,
    },
    errors: o.errors == null ? null : buf(o.errors),
    program: String(o.program ?? ''),
    jobId: (o.jobId as string | null) ?? null,
  };
}

export function timeToMs(t: Time): number {
  return t[0] * 1000 + Math.floor(t[1] / 1e6);
}

/** A wall-clock time as [seconds, nanoseconds]; `nowMs` is injectable for tests. */
export function nowTime(nowMs: number = Date.now()): Time {
  const s = Math.floor(nowMs / 1000);
  return [s, Math.round((nowMs - s * 1000) * 1e6)];
}
