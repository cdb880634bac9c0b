// Issue 3's round trip through cairnd: a tree holding every kind of entry (invalid UTF-8
// names, 60 directories deep, 5,000 files, times before 1970 and after 2100 in ns, a 64 MiB
// sparse file, setuid and 000 modes, xattrs, hard links, a symlink loop, devices, a fifo)
// is backed up with POST /api/snapshots/create and restored with POST .../restore — whole,
// as SNAPSHOT:PATH (rebase), and again under each `overwrite` mode — and compared by lstat
// fields, xattrs, link targets and contents; then browsed through /api/snapshot/vfs.
import t from 'tap';
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BackupResult, ChildrenList, CheckResult, Entry, RestoreResult, Snapshot, VfsResult,
} from '../../shared/schemas/index.js';
import { percentEncodePath } from '../../shared/snapshot-ref.js';
import { startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { allocated, compareTrees, isRoot, makeFidelityTree } from '../helpers/tree.js';
import { countEntries, get, post } from './api.js';

t.test('every kind of entry round-trips through cairnd', async (t) => {
  const d = await startCairnd(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  makeFidelityTree(src);
  const counts = countEntries(src);

  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b.status, 200, b.text.slice(0, 500));
  t.same(b.json.errors, [], 'the backup reports no errors');
  const id = b.json.snapshot_id;
  t.match(id, /^[0-9a-f]{64}$/);
  t.equal(b.json.summary.files, counts.files, 'summary counts every regular file');

  const restore = (ref: string, body: Record<string, unknown>): Promise<{ status: number; json: RestoreResult; text: string }> =>
    post<RestoreResult>(d, `/api/snapshots/${ref}/restore`, body);

  t.test('whole snapshot, identical by lstat, xattrs, targets and contents', async (t) => {
    const dest = join(work, 'dest');
    const r = await restore(id, { destination: dest });
    t.equal(r.status, 200, r.text.slice(0, 500));
    t.same(r.json.errors, [], 'no restore errors');
    t.equal(r.json.skipped, 0);
    t.equal(r.json.restored_files, counts.files, 'every regular file restored, hard links included');
    t.same(compareTrees(src, join(dest, src)), [], 'restored tree is identical');
    const sparse = allocated(join(dest, src, 'sparse.img'));
    t.ok(sparse <= (1 << 20) + (64 << 10), `the sparse file allocates ${sparse} bytes, no more than its data`);

    // overwrite: never (the default) leaves every existing entry and counts it
    const never = await restore(id.slice(0, 4), { destination: dest });
    t.equal(never.status, 200, never.text.slice(0, 500));
    t.equal(never.json.restored_files, 0, 'never: nothing rewritten');
    t.equal(never.json.skipped, counts.others, 'never: every existing non-directory entry skipped');

    // if-newer: only entries older on disk than in the snapshot
    const stale = join(dest, src, 'many', 'f00001');
    const mine = join(dest, src, 'many', 'f00002');
    writeFileSync(stale, 'stale');
    utimesSync(stale, new Date('1990-01-01T00:00:00Z'), new Date('1990-01-01T00:00:00Z'));
    writeFileSync(mine, 'mine, and newer');
    utimesSync(mine, new Date('2200-01-01T00:00:00Z'), new Date('2200-01-01T00:00:00Z'));
    const newer = await restore('latest', { destination: dest, overwrite: 'if-newer' });
    t.equal(newer.status, 200, newer.text.slice(0, 500));
    t.same(newer.json.errors, []);
    t.equal(newer.json.restored_files, 1, 'if-newer: the older file is restored');
    t.equal(newer.json.skipped, counts.others - 1, 'if-newer: the rest is skipped');
    t.equal(readFileSync(stale, 'utf8'), 'file 1\n', 'if-newer: older file replaced');
    t.equal(readFileSync(mine, 'utf8'), 'mine, and newer', 'if-newer: newer file kept');

    // always: existing entries of every kind replaced, the newer file too (a few paths
    // with their absolute paths, to keep the test short); identical again
    const some = ['many/f00002', 'loop-a', 'sparse.img', 'xattr.txt', 'fifo', 'setgid-dir'].map((p) => join(src, p));
    const always = await restore(id, { destination: dest, paths: some, overwrite: 'always' });
    t.equal(always.status, 200, always.text.slice(0, 500));
    t.same(always.json.errors, []);
    t.equal(always.json.skipped, 0, 'always: nothing skipped');
    t.equal(always.json.restored_files, 3, 'always: the files rewritten');
    t.equal(readFileSync(mine, 'utf8'), 'file 2\n', 'always: the newer file replaced');
    t.same(compareTrees(src, join(dest, src)), [], 'identical after overwrite always');
  });

  t.test('SNAPSHOT:PATH restores', async (t) => {
    // a directory with rebase: its contents directly into the destination
    const deep = join(work, 'r-deep');
    const r1 = await restore(id, { destination: deep, paths: [join(src, 'deep')], rebase: true });
    t.equal(r1.status, 200, r1.text.slice(0, 500));
    t.same(r1.json.errors, []);
    t.same(readdirSync(deep), ['d0'], 'the directory\'s contents, not the directory');
    t.same(compareTrees(join(src, 'deep', 'd0'), join(deep, 'd0')), [], '60 levels deep, identical');

    // a file with rebase: DIR/<name>
    const one = join(work, 'r-file');
    const r2 = await restore(id, { destination: one, paths: [join(src, 'xattr.txt')], rebase: true });
    t.equal(r2.status, 200, r2.text.slice(0, 500));
    t.equal(r2.json.restored_files, 1);
    t.same(readdirSync(one), ['xattr.txt']);
    t.same(compareTrees(join(src, 'xattr.txt'), join(one, 'xattr.txt')), [], 'the file with its xattrs');

    // a path without rebase keeps its absolute path; a path given without its leading /
    const abs = join(work, 'r-abs');
    const r3 = await restore(id.slice(0, 4), { destination: abs, paths: [join(src, 'sparse.img').slice(1)] });
    t.equal(r3.status, 200, r3.text.slice(0, 500));
    t.same(compareTrees(join(src, 'sparse.img'), join(abs, src, 'sparse.img')), []);
    t.ok(allocated(join(abs, src, 'sparse.img')) <= (1 << 20) + (64 << 10), 'still sparse');

    // the symlink loop and the hard-link group, each restored as a path
    const links = join(work, 'r-links');
    const r4 = await restore(id, { destination: links, paths: [join(src, 'loop-a'), join(src, 'hard1'), join(src, 'hard2')], rebase: true });
    t.equal(r4.status, 200, r4.text.slice(0, 500));
    t.same(r4.json.errors, []);
    t.same(compareTrees(join(src, 'loop-a'), join(links, 'loop-a')), [], 'a symlink keeps its target and mtime in ns');
    t.same(compareTrees(join(src, 'hard1'), join(links, 'hard1')), []);
    t.same(compareTrees(join(src, 'hard2'), join(links, 'hard2')), []);
  });

  t.test('browsing with /api/snapshot/vfs', async (t) => {
    const top = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${src}`);
    t.equal(top.status, 200, top.text.slice(0, 300));
    t.equal(top.json.item.type, 'directory');
    t.equal(top.json.item.path, src);
    t.ok(top.json.item.file_info.mode >= 2 ** 31, 'file_info.mode carries Go\'s directory bit, unsigned');
    const names = readdirSync(src, { encoding: 'buffer' });
    t.equal(top.json.children_total, names.length, 'every child counted');
    const kids = top.json.children ?? [];
    const byRaw = (raw: string): Entry | undefined => kids.find((k) => k.name_raw === raw);
    const ff = byRaw('bad%FF');
    const fe = byRaw('bad%FE');
    t.ok(ff && fe, 'two names in invalid UTF-8 come back apart, with name_raw');
    t.equal(ff?.name, 'bad\uFFFD', 'name is lossy UTF-8');
    t.equal(ff?.path_raw, `${percentEncodePath(Buffer.from(src))}/bad%FF`, 'path_raw holds the bytes');
    t.notOk(kids.find((k) => k.name === 'medium.bin')?.name_raw, 'no name_raw when UTF-8 is exact');

    // sending path_raw back names exactly that file
    for (const e of [ff, fe]) {
      const one = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${e!.path_raw}`);
      t.equal(one.status, 200, one.text.slice(0, 300));
      t.equal(one.json.item.name_raw, e!.name_raw, `path_raw ${e!.path_raw} round-trips`);
      t.equal(one.json.item.size, 20);
    }
    const eteRaw = byRaw('%E9t%E9')!;
    t.equal(eteRaw?.type, 'directory');
    const inside = await get<ChildrenList>(d, `/api/snapshot/vfs/children/${id}:${eteRaw.path_raw}`);
    t.equal(inside.status, 200, inside.text.slice(0, 300));
    t.equal(inside.json.total, 1);
    t.equal(inside.json.items[0]?.name, 'inside');
    t.notOk(inside.json.items[0]?.name_raw, 'its own name is UTF-8');
    t.equal(inside.json.items[0]?.path_raw, `${eteRaw.path_raw}/inside`, 'its path is not');

    // a directory of 5,000 files, paged
    const many = await get<ChildrenList>(d, `/api/snapshot/vfs/children/${id}:${src}/many?offset=100&limit=10`);
    t.equal(many.status, 200, many.text.slice(0, 300));
    t.equal(many.json.total, 5001, '5,000 files and a hard link');
    t.same(many.json.items.map((e) => e.name), Array.from({ length: 10 }, (_, i) => `f${String(100 + i).padStart(5, '0')}`));
    const bySize = await get<ChildrenList>(d, `/api/snapshot/vfs/children/${id}:${src}/many?sort=-Size&limit=1`);
    t.equal(bySize.json.items[0]?.name, 'hard3', 'sorted by size, descending');

    // 60 levels deep
    const deepPath = [src, 'deep', ...Array.from({ length: 60 }, (_, i) => `d${i}`), 'bottom.txt'].join('/');
    const bottom = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${deepPath}`);
    t.equal(bottom.status, 200, bottom.text.slice(0, 300));
    t.equal(bottom.json.item.size, 13);
    t.equal(bottom.json.item.parent_path, deepPath.slice(0, deepPath.lastIndexOf('/')));

    // metadata as entries: times in ns before 1970 and after 2100, modes, links, specials
    const entry = async (name: string): Promise<Entry> => {
      const a = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${src}/${name}`);
      t.equal(a.status, 200, `${name}: ${a.text.slice(0, 300)}`);
      return a.json.item;
    };
    t.equal((await entry('old.txt')).mtime, `${new Date(-157_680_000_000).toISOString().slice(0, 19)}.987654321Z`);
    t.equal((await entry('future.txt')).mtime, `${new Date(4_300_000_000_000).toISOString().slice(0, 19)}.999999999Z`);
    const suid = await entry('setuid');
    t.equal(suid.mode, '04755');
    t.equal(suid.permissions, '-rwsr-xr-x');
    t.equal((await entry('mode000')).permissions, '----------');
    const loop = await entry('loop-a');
    t.equal(loop.type, 'symlink');
    t.equal(loop.target, 'loop-b');
    t.equal(loop.mtime, `${new Date(1_234_567_000).toISOString().slice(0, 19)}.00000089Z`);
    t.equal((await entry('fifo')).type, 'fifo');
    if (isRoot) t.equal((await entry('null-dev')).type, 'device');
    t.equal((await entry('sparse.img')).size, 64 << 20);
    t.equal((await entry('hard2')).nlink, 3);

    // latest and a 4-hex prefix name the same snapshot
    const viaLatest = await get<VfsResult>(d, `/api/snapshot/vfs/latest:${src}/hard1`);
    const viaPrefix = await get<VfsResult>(d, `/api/snapshot/vfs/${id.slice(0, 4)}:${src}/hard1`);
    t.equal(viaLatest.status, 200);
    t.same(viaLatest.json, viaPrefix.json, 'latest and a prefix agree');
    t.equal(viaLatest.json.item.size, 300_000);
    const snap = await get<{ item: Snapshot }>(d, `/api/snapshot/${id.slice(0, 4)}`);
    t.equal(snap.json.item.id, id);
    t.same(snap.json.item.sources?.map((s) => s.importer.directory), [src]);
  });

  t.test('the repository checks clean, reading all data', async (t) => {
    const c = await post<CheckResult>(d, '/api/repository/check', { read_data: true });
    t.equal(c.status, 200, c.text.slice(0, 500));
    t.equal(c.json.status, 'success', JSON.stringify(c.json.errors));
  });
});
