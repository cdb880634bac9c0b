// test/daemon/snapshot/browse-fixture.ts — two real snapshots of one source tree for the
// walk and diff tests: a directory of BIG entries cut into pages (the repository's page
// parameters made small so that a few thousand entries page), names in invalid UTF-8, and
// between the two backups every kind of change. Times are pinned so that only the intended
// changes show: directory mtimes, and atimes in the future, which reading a file during
// the first backup then leaves alone (relatime), so that unchanged trees stay identical.
// Also a repository wrapper that counts tree loads.
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../daemon/backup/index.js';
import type { Repository } from '../../../daemon/repository/index.js';
import { lookupPath, type Located } from '../../../daemon/snapshot/index.js';
import { makeTestRepo, type TestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';

interface T { teardown(fn: () => void | Promise<void>): void }

export const BIG = 6000;
const B = (s: string | Buffer): Buffer => (Buffer.isBuffer(s) ? s : Buffer.from(s));
export const J = (a: string | Buffer, ...names: Array<string | Buffer>): Buffer =>
  names.reduce<Buffer>((p, n) => Buffer.concat([p, Buffer.from('/'), B(n)]), B(a));
export const BAD = Buffer.from([0x62, 0x61, 0x64, 0xff]);      // "bad\xff"
export const ETE = Buffer.from([0xe9, 0x74, 0xe9]);            // "\xe9t\xe9"

export interface Fixture {
  h: TestRepo;
  src: string;
  /** root tree ids of the snapshots before and after the changes */
  root1: Buffer;
  root2: Buffer;
  at(root: Buffer, path: Buffer | string): Promise<Located>;
}

const FUTURE = 4_000_000_000;

/** `paths` and, with `deep`, everything below them: atime in the future, mtime 1_000_000 s
 *  (files keep their mtime). Symlinks are left alone. */
function pinTimes(paths: Buffer[], deep: boolean): void {
  for (const p of paths) {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory() && deep) pinTimes(readdirSync(p, { encoding: 'buffer' }).map((n) => J(p, n)), true);
    utimesSync(p, FUTURE, st.isDirectory() ? 1_000_000 : st.mtime);
  }
}

export async function makeFixture(t: T): Promise<Fixture> {
  const h = await makeTestRepo(t);
  // Small pages: BIG entries make ~20 pages (a cut at names whose xxh64 has 8 low zero bits).
  Object.assign(h.repo.config.dirPage, { bytes: 16 << 10, bits: 8, minEntries: 100 });
  const src = join(tmpDir(t), 'src');
  const s = B(src);
  mkdirSync(J(s, 'big'), { recursive: true });
  for (let i = 0; i < BIG; i++) writeFileSync(J(s, 'big', `f${String(i).padStart(5, '0')}`), `file ${i}\n`);
  mkdirSync(J(s, 'same', 'deeper'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(J(s, 'same', `s${i}`), `same ${i}`);
  writeFileSync(J(s, 'same', 'deeper', 'x'), 'x');
  mkdirSync(J(s, 'ctime-only'));
  writeFileSync(J(s, 'ctime-only', 'c'), 'only its ctime changes');
  mkdirSync(J(s, 'gone', 'sub'), { recursive: true });
  writeFileSync(J(s, 'gone', 'g1'), 'g1');
  writeFileSync(J(s, 'gone', 'sub', 'g2'), 'g22');
  writeFileSync(J(s, 'edit.txt'), 'line 1\nline 2\nline 3\n');
  writeFileSync(J(s, 'chmod.txt'), 'mode changes');
  writeFileSync(J(s, 'touch.txt'), 'mtime changes');
  writeFileSync(J(s, 'removed.txt'), 'removed later (7 bytes more)');
  writeFileSync(J(s, 'kind'), 'a file that becomes a directory');
  writeFileSync(J(s, BAD), 'invalid utf-8 name, v1');
  symlinkSync('target-one', J(s, 'link'));
  pinTimes([s], true);
  // A clock 10 s ahead: every file is older than the files-cache window, so the second
  // backup reads only what changed.
  const later = (): number => Date.now() + 10_000;
  const b1 = await backup(h.repo, { sources: [s], now: later });

  writeFileSync(J(s, 'big', 'f03000'), 'file 3000, changed\n');
  chmodSync(J(s, 'ctime-only', 'c'), lstatSync(J(s, 'ctime-only', 'c')).mode & 0o7777); // a new ctime, nothing else
  writeFileSync(J(s, 'big', 'f99999'), 'added at the end of big\n');
  rmSync(J(s, 'gone'), { recursive: true });
  mkdirSync(J(s, 'new', 'inner'), { recursive: true });
  writeFileSync(J(s, 'new', 'n1'), 'n1');
  writeFileSync(J(s, 'new', 'inner', 'n2'), 'n2!');
  writeFileSync(J(s, 'edit.txt'), 'line 1\nline two\nline 3\nline 4\n');
  chmodSync(J(s, 'chmod.txt'), 0o600);
  utimesSync(J(s, 'touch.txt'), 2_000_000, 2_000_000);
  unlinkSync(J(s, 'removed.txt'));
  unlinkSync(J(s, 'kind'));
  mkdirSync(J(s, 'kind'));
  writeFileSync(J(s, 'kind', 'inside'), 'now a directory');
  writeFileSync(J(s, BAD), 'invalid utf-8 name, version 2');
  writeFileSync(J(s, ETE), 'added, with an invalid utf-8 name');
  unlinkSync(J(s, 'link'));
  symlinkSync('target-two', J(s, 'link'));
  // Only what changed: touching the others would change their ctime, hence their trees.
  pinTimes([s, J(s, 'big'), J(s, 'kind'), J(s, 'new'), J(s, 'new', 'inner')], false);
  const b2 = await backup(h.repo, { sources: [s], now: later });
  return {
    h, src, root1: b1.record.root, root2: b2.record.root,
    at: (root, path) => lookupPath(h.repo, root, B(path)),
  };
}

export interface Counting {
  repo: Pick<Repository, 'index' | 'readChunk'>;
  /** ids of every tree loaded (cache or storage), in order */
  loads: Buffer[];
}

/** `repo` with every tree load recorded (loadTreeBytes asks index.getTree first, always). */
export function counting(repo: Repository): Counting {
  const loads: Buffer[] = [];
  const index = new Proxy(repo.index, {
    get(target, key) {
      if (key === 'getTree') return (id: Buffer) => { loads.push(Buffer.from(id)); return target.getTree(id); };
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { repo: { index, readChunk: (id: Buffer) => repo.readChunk(id) }, loads };
}
