// test/helpers/tree.ts — fixture trees from data, and an exact comparison of two trees:
// type, mode, uid, gid, size, mtime in ns (symlinks too), rdev, hard-link groups, xattrs,
// link targets and contents, by lstat — not only contents.

import {
  mkdirSync, writeFileSync, symlinkSync, linkSync, chmodSync, lstatSync, readdirSync, readlinkSync,
  readFileSync, openSync, closeSync, ftruncateSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { lgetxattrs, lsetxattr, mkfifo, mknod, utimensat } from '../../native/index.js';

const B = (s: string | Buffer): Buffer => (Buffer.isBuffer(s) ? s : Buffer.from(s));
const J = (a: Buffer, b: Buffer | string): Buffer => Buffer.concat([a, Buffer.from('/'), B(b)]);

export const isRoot = process.getuid?.() === 0;

/** Deterministic bytes (xorshift32), so failures reproduce. */
export function prng(seed: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The acceptance tree of issue 3: every kind of entry a backup must keep. */
export function makeFidelityTree(root: string, opts: { bigDir?: number; deep?: number; sparseMiB?: number } = {}): void {
  const r = B(root);
  mkdirSync(root, { recursive: true });
  // names in invalid UTF-8 (two that a lossy decode would merge)
  writeFileSync(J(r, Buffer.from([0x62, 0x61, 0x64, 0xff])), 'invalid utf-8 name 1');
  writeFileSync(J(r, Buffer.from([0x62, 0x61, 0x64, 0xfe])), 'invalid utf-8 name 2');
  mkdirSync(J(r, Buffer.from([0xe9, 0x74, 0xe9])));
  writeFileSync(J(J(r, Buffer.from([0xe9, 0x74, 0xe9])), 'inside'), 'x');
  // a path 60 directories deep
  let d = J(r, 'deep');
  mkdirSync(d);
  for (let i = 0; i < (opts.deep ?? 60); i++) {
    d = J(d, `d${i}`);
    mkdirSync(d);
  }
  writeFileSync(J(d, 'bottom.txt'), 'at the bottom');
  // a directory of many files
  const many = J(r, 'many');
  mkdirSync(many);
  for (let i = 0; i < (opts.bigDir ?? 5000); i++) writeFileSync(J(many, `f${String(i).padStart(5, '0')}`), `file ${i}\n`);
  // times before 1970 and after 2100, with nanoseconds
  const old = J(r, 'old.txt');
  writeFileSync(old, 'old');
  utimensat(old, [-1_000_000_000n, 123_456_789], [-86_400n * 365n * 5n, 987_654_321], true);
  const future = J(r, 'future.txt');
  writeFileSync(future, 'future');
  utimensat(future, [4_200_000_000n, 1], [4_300_000_000n, 999_999_999], true);
  // a sparse file: 64 MiB with 1 MiB of data in the middle
  const sparse = J(r, 'sparse.img');
  const fd = openSync(sparse, 'w');
  const size = (opts.sparseMiB ?? 64) << 20;
  ftruncateSync(fd, size);
  writeSync(fd, prng(7, 1 << 20), 0, 1 << 20, size / 2);
  closeSync(fd);
  // modes: setuid, setgid, sticky, 000
  const suid = J(r, 'setuid');
  writeFileSync(suid, '#!/bin/sh\n');
  chmodSync(suid, 0o4755);
  const sgid = J(r, 'setgid-dir');
  mkdirSync(sgid);
  chmodSync(sgid, 0o2775);
  const sticky = J(r, 'sticky-dir');
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  const none = J(r, 'mode000');
  writeFileSync(none, 'secret');
  chmodSync(none, 0o000);
  // xattrs
  const xa = J(r, 'xattr.txt');
  writeFileSync(xa, 'has xattrs');
  lsetxattr(xa, B('user.comment'), B('hello'));
  lsetxattr(xa, B('user.binary'), Buffer.from([0, 1, 2, 255]));
  // hard links
  const h1 = J(r, 'hard1');
  writeFileSync(h1, prng(3, 300_000));
  linkSync(h1, J(r, 'hard2'));
  linkSync(h1, J(many, 'hard3'));
  // symlinks: a loop, a dangling one, one with a raw-byte target
  symlinkSync('loop-b', J(r, 'loop-a'));
  symlinkSync('loop-a', J(r, 'loop-b'));
  symlinkSync(Buffer.from([0x6e, 0x6f, 0xff, 0x2f, 0x78]), J(r, 'raw-target'));
  utimensat(J(r, 'loop-a'), [1_000_000n, 5], [1_234_567n, 890], true);
  // fifo and devices
  mkfifo(J(r, 'fifo'), 0o640);
  if (isRoot) {
    mknod(J(r, 'null-dev'), 0o020666, BigInt((1 << 8) | 3));     // char 1:3
    mknod(J(r, 'block-dev'), 0o060640, BigInt((7 << 8) | 0));    // block 7:0
  }
  // a medium file spanning several chunks, and an empty one
  writeFileSync(J(r, 'medium.bin'), prng(11, 3 << 20));
  writeFileSync(J(r, 'empty'), '');
}

export interface Difference { path: string; what: string }

function listRaw(dir: Buffer): Buffer[] {
  return readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
}

/** Compares two trees exactly; returns the differences (empty = identical). */
export function compareTrees(a: string | Buffer, b: string | Buffer, opts: { atime?: boolean } = {}): Difference[] {
  const diffs: Difference[] = [];
  const inoA = new Map<bigint, string>();
  const inoB = new Map<bigint, string>();
  const walk = (pa: Buffer, pb: Buffer, rel: string): void => {
    const sa = lstatSync(pa, { bigint: true });
    const sb = lstatSync(pb, { bigint: true });
    const d = (what: string): void => {
      diffs.push({ path: rel || '/', what });
    };
    if ((sa.mode & 0o170000n) !== (sb.mode & 0o170000n)) return d(`type ${sa.mode.toString(8)} vs ${sb.mode.toString(8)}`);
    if (sa.mode !== sb.mode) d(`mode ${sa.mode.toString(8)} vs ${sb.mode.toString(8)}`);
    if (sa.uid !== sb.uid || sa.gid !== sb.gid) d(`owner ${sa.uid}:${sa.gid} vs ${sb.uid}:${sb.gid}`);
    if (!sa.isDirectory() && sa.size !== sb.size) d(`size ${sa.size} vs ${sb.size}`);
    if (sa.mtimeNs !== sb.mtimeNs) d(`mtime ${sa.mtimeNs} vs ${sb.mtimeNs}`);
    if (opts.atime && !sa.isDirectory() && sa.atimeNs !== sb.atimeNs) d(`atime ${sa.atimeNs} vs ${sb.atimeNs}`);
    if (sa.rdev !== sb.rdev) d(`rdev ${sa.rdev} vs ${sb.rdev}`);
    const xa = lgetxattrs(pa).map(([k, v]) => `${k.toString('hex')}=${v.toString('hex')}`).join(',');
    const xb = lgetxattrs(pb).map(([k, v]) => `${k.toString('hex')}=${v.toString('hex')}`).join(',');
    if (xa !== xb) d(`xattrs ${xa} vs ${xb}`);
    if (sa.isFile() && sa.nlink > 1n) {
      const ga = inoA.get(sa.ino);
      const gb = inoB.get(sb.ino);
      if ((ga === undefined) !== (gb === undefined) || (ga !== undefined && ga !== gb)) d(`hard-link group ${ga} vs ${gb}`);
      if (ga === undefined) {
        inoA.set(sa.ino, rel);
        inoB.set(sb.ino, rel);
      }
    }
    if (sa.isSymbolicLink()) {
      if (!readlinkSync(pa, { encoding: 'buffer' }).equals(readlinkSync(pb, { encoding: 'buffer' }))) d('link target');
    } else if (sa.isFile()) {
      if ((sa.mode & 0o444n) === 0n && !isRoot) return;
      if (!readFileSync(pa).equals(readFileSync(pb))) d('content');
    } else if (sa.isDirectory()) {
      const ea = listRaw(pa);
      const eb = listRaw(pb);
      const names = new Set([...ea, ...eb].map((n) => n.toString('latin1')));
      for (const nl of [...names].sort()) {
        const n = Buffer.from(nl, 'latin1');
        const inA = ea.some((x) => x.equals(n));
        const inB = eb.some((x) => x.equals(n));
        const childRel = `${rel}/${n.toString('utf8')}`;
        if (!inA || !inB) {
          diffs.push({ path: childRel, what: inA ? 'missing from the restore' : 'extra in the restore' });
          continue;
        }
        walk(J(pa, n), J(pb, n), childRel);
      }
    }
  };
  walk(B(a), B(b), '');
  return diffs;
}

/** Bytes a file really allocates on disk. */
export function allocated(path: string | Buffer): number {
  return Number(lstatSync(path, { bigint: true }).blocks) * 512;
}

export { join };
