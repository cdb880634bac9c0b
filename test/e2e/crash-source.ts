// test/e2e/crash-source.ts — the source tree of the crash test, grown round by round, and a
// frozen copy of it for every snapshot. Used only by crash.slow.test.ts.
//   base/     nested directories, a few MiB of files and many small ones; never changed
//   mut/      a journal replaced every round by itself plus an appended tail (a change
//             whose old part dedups)
//   r<k>/     round k's new files (a few MiB and small ones); the round after drops it
// A frozen copy is `cp -a` (real copies: hard links would change every source file's
// nlink and ctime, hence every tree and every files-cache entry, at each round). Every
// generated file is unique (a tag stamped every 64 KiB), so a round's new bytes are known.

import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../helpers/tree.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** What one round changed: the bytes a backup must store, bounded from both sides. */
export interface Change {
  /** bytes no earlier snapshot has (the new files and the journal's appended tail) */
  newLower: number;
  /** newLower plus everything else that may have to be stored again (the whole journal) */
  newUpper: number;
}

/** `n` bytes no other call returns: xorshift bytes with `tag` stamped every 64 KiB. */
export function unique(tag: string, n: number): Buffer {
  let seed = 2166136261;
  for (const c of Buffer.from(tag)) seed = Math.imul(seed ^ c, 16777619) >>> 0;
  const b = prng(seed, n);
  const stamp = Buffer.from(`<${tag}>`);
  for (let off = 0; off < n; off += 64 * KiB) stamp.copy(b, off, 0, Math.min(stamp.length, n - off));
  return b;
}

export class CrashSource {
  readonly src: string;
  private readonly frozenRoot: string;
  private journal: Buffer = Buffer.alloc(0);
  private round = 0;

  constructor(readonly work: string) {
    this.src = join(work, 'src');
    this.frozenRoot = join(work, 'frozen');
    mkdirSync(this.frozenRoot, { recursive: true });
  }

  /** The baseline: base/ (about 6.5 MiB in 3 levels of directories) and the journal. */
  createBase(): Change {
    const base = join(this.src, 'base');
    let bytes = 0;
    const file = (path: string, size: number): void => {
      writeFileSync(path, unique(`base:${path}`, size));
      bytes += size;
    };
    mkdirSync(join(base, 'photos'), { recursive: true });
    file(join(base, 'photos', 'one.raw'), 2 * MiB + 12_345);
    file(join(base, 'photos', 'two.raw'), 1 * MiB + 777);
    for (let d = 0; d < 4; d++) {
      for (let e = 0; e < 3; e++) {
        const dir = join(base, 'docs', `d${d}`, `e${e}`);
        mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 12; f++) file(join(dir, `note-${f}.txt`), 500 + ((d * 37 + e * 11 + f * 5) % 48) * KiB);
      }
    }
    writeFileSync(join(base, 'docs', 'empty'), '');
    symlinkSync('d0/e0/note-0.txt', join(base, 'docs', 'link'));
    mkdirSync(join(this.src, 'mut'));
    this.appendJournal(512 * KiB);
    bytes += this.journal.length;
    return { newLower: bytes, newUpper: bytes };
  }

  /** Round k: drop the previous round's files, add new ones, append to the journal. */
  nextRound(): Change {
    const k = ++this.round;
    rmSync(join(this.src, `r${k - 1}`), { recursive: true, force: true });
    const dir = join(this.src, `r${k}`);
    let bytes = 0;
    const file = (path: string, size: number): void => {
      writeFileSync(path, unique(`r${k}:${path}`, size));
      bytes += size;
    };
    mkdirSync(join(dir, 'media'), { recursive: true });
    file(join(dir, 'media', 'clip.bin'), 2 * MiB + k * 4099);
    file(join(dir, 'media', 'track.bin'), 1 * MiB + k * 131);
    for (let s = 0; s < 3; s++) {
      const sub = join(dir, 'notes', `s${s}`, 'deeper');
      mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 8; f++) file(join(sub, `n${f}.txt`), 1_000 + ((k * 7 + s * 13 + f * 17) % 40) * KiB);
    }
    const before = this.journal.length;
    this.appendJournal(128 * KiB);
    bytes += this.journal.length - before;
    return { newLower: bytes, newUpper: bytes + before };
  }

  /** Replaces the journal (a new inode) with its old bytes and `n` new ones. */
  private appendJournal(n: number): void {
    this.journal = Buffer.concat([this.journal, unique(`journal:${this.round}`, n)]);
    const path = join(this.src, 'mut', 'journal.log');
    writeFileSync(`${path}.new`, this.journal);
    renameSync(`${path}.new`, path);
  }

  /** A copy of the source as it is now (modes and times kept), named after `label`. */
  freeze(label: string): string {
    const dest = join(this.frozenRoot, label);
    execFileSync('cp', ['-a', this.src, dest]);
    return dest;
  }
}
