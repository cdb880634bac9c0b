// A tree holding every kind of entry backs up and restores identical (issue 3's round
// trip, engine level; the daemon-level run is in test/e2e).
import t from 'tap';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { backup } from '../../../daemon/backup/index.js';
import { restore } from '../../../daemon/restore/index.js';
import { check } from '../../../daemon/check/index.js';
import { lookupPath } from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';
import { makeFidelityTree, compareTrees, allocated, prng } from '../../helpers/tree.js';

t.test('every kind of entry round-trips exactly', async (t) => {
  const { repo } = await makeTestRepo(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  makeFidelityTree(src);
  const res = await backup(repo, { sources: [Buffer.from(src)] });
  t.equal(res.errors.length, 0, `no errors: ${JSON.stringify(res.errors.map((e) => [e.path.toString(), e.message]))}`);
  const dest = join(work, 'dest');
  const r = await restore(repo, res.record.root, { destination: Buffer.from(dest), paths: [], rebase: false, overwrite: 'never', skipPermissions: false });
  t.same(r.errors, [], 'restore reports no errors');
  const diffs = compareTrees(src, join(dest, src));
  t.same(diffs, [], 'restored tree is identical');
  const sparse = allocated(join(dest, src, 'sparse.img'));
  t.ok(sparse <= (1 << 20) + (64 << 10), `sparse file allocates ${sparse} bytes, no more than its data`);
  const c = await check(repo, { readData: true, subset: null });
  t.equal(c.status, 'success', JSON.stringify(c.errors));
});

t.test('an unchanged re-backup reuses everything and a change is seen', async (t) => {
  const { repo } = await makeTestRepo(t);
  const src = join(tmpDir(t), 'src');
  mkdirSync(src);
  for (let i = 0; i < 50; i++) writeFileSync(join(src, `small${i}`), prng(i + 1, 1000 + i));
  writeFileSync(join(src, 'big'), prng(99, 5 << 20));
  const now = Date.now() + 10_000; // everything is older than the cache window
  const first = await backup(repo, { sources: [Buffer.from(src)], now: () => now });
  const dataPacks = (): number => [...repo.index.listPacks()].filter(([, p]) => p.kind === 0).length;
  const packsBefore = dataPacks();
  const second = await backup(repo, { sources: [Buffer.from(src)], now: () => now + 1000 });
  t.equal(dataPacks(), packsBefore, 'no data stored');
  // Compare the source's own tree: its ancestors (the temp dir) may change meanwhile.
  const subtree = async (root: Buffer): Promise<Buffer | null> => (await lookupPath(repo, root, Buffer.from(src))).node!.subtree;
  t.ok((await subtree(first.record.root))!.equals((await subtree(second.record.root))!), 'same tree for the source');
  t.ok(second.record.parent?.equals(first.id), 'parent is the first snapshot');
  writeFileSync(join(src, 'small7'), 'changed');
  const third = await backup(repo, { sources: [Buffer.from(src)], now: () => now + 20_000 });
  t.notOk((await subtree(third.record.root))!.equals((await subtree(second.record.root))!), 'a change gives a new tree');
  t.ok(third.record.stats.storedBytes > 0, 'the change was stored');
});

t.test('a restore bigger than its reused decode buffers writes every byte where it belongs', async (t) => {
  // 40 MiB incompressible + 24 MiB compressible in one file, and small files beside it:
  // many slices of up to 16 MiB decoded pass through the same few buffers, which must never
  // be reused while a write from them is still under way.
  const { repo } = await makeTestRepo(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(src);
  const text = Buffer.from('the quick brown fox jumps over the lazy dog; ');
  const compressible = Buffer.alloc(24 << 20);
  for (let o = 0; o < compressible.length; o += text.length) {
    text.copy(compressible, o);
    compressible.writeUInt32BE(o, Math.min(o, compressible.length - 4)); // distinct chunks
  }
  writeFileSync(join(src, 'big'), Buffer.concat([prng(7, 40 << 20), compressible]));
  for (let i = 0; i < 300; i++) writeFileSync(join(src, `small${i}`), prng(i + 1000, 500 + i * 37));
  const res = await backup(repo, { sources: [Buffer.from(src)] });
  t.equal(res.errors.length, 0);
  const dest = join(work, 'dest');
  const r = await restore(repo, res.record.root, { destination: Buffer.from(dest), paths: [], rebase: false, overwrite: 'never', skipPermissions: false });
  t.same(r.errors, []);
  t.equal(r.restoredFiles, 301);
  t.same(compareTrees(src, join(dest, src)), [], 'restored tree is identical');
});
