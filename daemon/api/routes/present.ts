// daemon/api/routes/present.ts — how the API shows the engine's objects (API.md shapes):
// a snapshot row as a snapshot, a tree node as an entry (with Plakar's file_info), byte
// paths as UTF-8 with U+FFFD plus `*_raw` percent-encoded bytes when that lost information.

import type { Entry, Snapshot } from '../../../shared/schemas/index.js';
import { percentEncodePath } from '../../../shared/snapshot-ref.js';
import type { SnapshotRow } from '../../repository/index.js';
import { NodeType, type TreeNode } from '../../snapshot/index.js';

export function rfc3339(t: [number, number] | null | undefined): string | null {
  if (!t) return null;
  const ms = t[0] * 1000 + Math.floor(t[1] / 1e6);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const base = d.toISOString().slice(0, 19);
  const frac = String(t[1]).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** UTF-8 text of some bytes, and whether decoding lost information. */
export function textOf(b: Buffer): { text: string; lossy: boolean } {
  const text = b.toString('utf8');
  return { text, lossy: !Buffer.from(text, 'utf8').equals(b) };
}

const hexOf = (b: unknown): string | null => (b == null ? null : Buffer.from(b as Uint8Array).toString('hex'));

export function presentSnapshot(id: Buffer, row: SnapshotRow | (Partial<SnapshotRow> & { damaged: true }) | undefined): Snapshot {
  const hex = id.toString('hex');
  const base = { id: hex, identifier: hex, short_id: hex.slice(0, 8) };
  if (!row || !row.time) {
    return {
      ...base, status: 'damaged', timestamp: null, hostname: null, username: null, importer: null, sources: null,
      tags: null, summary: null, duration: null, parent: null, job_id: null,
    };
  }
  const r = row as SnapshotRow;
  const paths = r.paths.map((p) => textOf(Buffer.from(p)).text);
  const durNs = (r.endTime[0] - r.time[0]) * 1e9 + (r.endTime[1] - r.time[1]);
  return {
    ...base,
    status: r.damaged ? 'damaged' : r.status,
    timestamp: rfc3339(r.time),
    hostname: r.host,
    username: r.user,
    importer: { type: 'fs', origin: r.host, directory: paths[0] ?? '/' },
    sources: paths.map((p) => ({ importer: { type: 'fs', origin: r.host, directory: p } })),
    tags: r.tags,
    summary: {
      files: r.stats.files, directories: r.stats.dirs, symlinks: r.stats.symlinks, size: r.stats.bytes,
      stored_size: r.stats.storedBytes, errors: r.stats.errors, duration_ms: Math.round(durNs / 1e6),
    },
    duration: Math.max(0, Math.round(durNs)),
    parent: hexOf(r.parent),
    job_id: r.jobId,
  };
}

const TYPE_NAMES = ['file', 'directory', 'symlink', 'fifo', 'device', 'device', 'socket'] as const;
const TYPE_CHARS = ['-', 'd', 'l', 'p', 'c', 'b', 's'];

export function permissions(type: number, mode: number): string {
  const rwx = (bits: number, special: boolean, ch: string): string =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return TYPE_CHARS[type]! + rwx(mode >> 6, (mode & 0o4000) !== 0, 's') + rwx(mode >> 3, (mode & 0o2000) !== 0, 's')
    + rwx(mode, (mode & 0o1000) !== 0, 't');
}

/** Go's FileMode bits (API.md "entry"). */
export function goFileMode(type: number, mode: number): number {
  let m = mode & 0o777;
  if (type === NodeType.dir) m |= 2 ** 31;
  if (type === NodeType.symlink) m |= 2 ** 27;
  if (type === NodeType.char || type === NodeType.block) m |= 2 ** 26;
  if (type === NodeType.char) m |= 2 ** 21;
  if (type === NodeType.fifo) m |= 2 ** 25;
  if (type === NodeType.socket) m |= 2 ** 24;
  if (mode & 0o4000) m |= 2 ** 23;
  if (mode & 0o2000) m |= 2 ** 22;
  if (mode & 0o1000) m |= 2 ** 20;
  return m >>> 0; // Go's FileMode is a uint32: `|` with bit 31 yields a negative int32
}

/** A tree node at `path` (absolute bytes) as an API entry. `/` is given as a directory node. */
export function presentEntry(n: TreeNode, path: Buffer): Entry {
  const name = textOf(n.name);
  const p = textOf(path);
  const slash = path.lastIndexOf(0x2f);
  const parent = slash <= 0 ? '/' : textOf(path.subarray(0, slash)).text;
  const mtime = rfc3339(n.mtime) ?? '1970-01-01T00:00:00Z';
  const e: Entry = {
    name: name.text,
    path: p.text,
    parent_path: path.length <= 1 ? '' : parent,
    type: TYPE_NAMES[n.type] ?? 'file',
    size: n.size,
    mode: `0${(n.mode & 0o7777).toString(8).padStart(3, '0')}`,
    permissions: permissions(n.type, n.mode),
    mtime,
    uid: n.uid,
    gid: n.gid,
    username: n.user,
    groupname: n.group,
    nlink: n.nlink,
    file_info: {
      name: name.text, size: n.size, mode: goFileMode(n.type, n.mode), mod_time: mtime, uid: n.uid, gid: n.gid,
      nlink: n.nlink, username: n.user, groupname: n.group,
    },
  };
  if (name.lossy) e.name_raw = percentEncodePath(n.name);
  if (p.lossy) e.path_raw = percentEncodePath(path);
  if (n.type === NodeType.symlink && n.target) e.target = textOf(n.target).text;
  if (n.error) e.error = n.error;
  return e;
}

/** A directory node standing for `/`, which has no node of its own. */
export function rootNode(tree: Buffer, time: [number, number]): TreeNode {
  return {
    name: Buffer.from('/'), type: NodeType.dir, mode: 0o755, uid: 0, gid: 0, user: 'root', group: 'root', size: 0,
    mtime: time, atime: time, ctime: time, ino: 0, nlink: 1, rdev: 0, xattrs: [], target: null, content: null,
    subtree: tree, error: null,
  };
}
