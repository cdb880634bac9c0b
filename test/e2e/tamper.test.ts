// Tamper evidence end to end through cairnd (issue 3; every byte is flipped by the engine
// suite in test/daemon/check): a byte flipped in a data pack's unit, its trailer and footer,
// a tree pack, a snapshot object → POST /api/repository/check {read_data:true} fails naming
// the object; plain check fails for the trailer, footer, tree and snapshot flips; a restore
// needing the flipped unit names the pack and writes no wrong byte; with the byte put back
// check is clean. A snapshot object that cannot be authenticated is listed as damaged after
// a restart, and the other snapshots still list and restore.
import t, { type Test } from 'tap';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupResult, CheckResult, RestoreResult, Snapshot, SnapshotCheckResult, SnapshotList } from '../../shared/schemas/index.js';
import { startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { compareTrees, prng } from '../helpers/tree.js';
import { get, post } from './api.js';

function packsOf(repo: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(repo, 'packs'))) {
    for (const f of readdirSync(join(repo, 'packs', d))) out.push(`packs/${d}/${f}`);
  }
  return out.sort();
}

/** Flips one bit of `name` at `off` (negative: from the end); returns how to put it back. */
function flip(repo: string, name: string, off: number): () => void {
  const path = join(repo, name);
  const mode = statSync(path).mode & 0o7777;
  const orig = readFileSync(path);
  const at = off < 0 ? orig.length + off : off;
  const bad = Buffer.from(orig);
  bad[at] ^= 0x10;
  chmodSync(path, mode | 0o200);
  writeFileSync(path, bad);
  chmodSync(path, mode);
  return () => {
    chmodSync(path, mode | 0o200);
    writeFileSync(path, orig);
    chmodSync(path, mode);
  };
}

t.test('flipped bytes are caught through cairnd', async (t) => {
  let d = await startCairnd(t);
  const work = tmpDir(t);
  const other = join(work, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'o.txt'), 'another snapshot\n');
  writeFileSync(join(other, 'o.bin'), prng(9, 400_000));
  const src = join(work, 'src');
  mkdirSync(src);
  const small = 'a small file that lives in a group\n'.repeat(20);
  const big = prng(5, 3 << 20);
  writeFileSync(join(src, 'a.txt'), small);
  writeFileSync(join(src, 'b.bin'), big);

  const b2 = await post<BackupResult>(d, '/api/snapshots/create', { source: other });
  t.equal(b2.status, 200, b2.text.slice(0, 300));
  const before = new Set(packsOf(d.repo));
  const b1 = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b1.status, 200, b1.text.slice(0, 300));
  const s1 = b1.json.snapshot_id;
  const s2 = b2.json.snapshot_id;
  const fresh = packsOf(d.repo).filter((p) => !before.has(p));
  t.equal(fresh.length, 2, 'the second backup wrote one data pack and one tree pack');
  // 3 MiB of random data make the data pack; the tree pack holds a few small trees
  const [dataPack, treePack] = fresh.sort((x, y) => statSync(join(d.repo, y)).size - statSync(join(d.repo, x)).size) as [string, string];
  t.ok(statSync(join(d.repo, dataPack)).size > 3 << 20 && statSync(join(d.repo, treePack)).size < 1 << 20, 'told apart by size');
  const snapObject = `snapshots/${s1}`;

  const check = async (readData: boolean): Promise<CheckResult> => {
    const c = await post<CheckResult>(d, '/api/repository/check', { read_data: readData });
    t.equal(c.status, 200, c.text.slice(0, 300));
    return c.json;
  };
  const fails = (t: Test, c: CheckResult, object: string | null, what: string): void => {
    t.equal(c.status, 'failure', `${what}: check fails`);
    if (object) t.ok(c.errors.some((e) => e.object === object), `${what}: an error names ${object}: ${JSON.stringify(c.errors.map((e) => e.object))}`);
  };
  const clean = async (t: Test, what: string): Promise<void> => {
    const c = await check(true);
    t.equal(c.status, 'success', `${what}: clean once the byte is back: ${JSON.stringify(c.errors)}`);
  };
  t.equal((await check(true)).status, 'success', 'the untouched repository checks clean');

  t.test('a data pack\'s unit', async (t) => {
    const undo = flip(d.repo, dataPack, 32 + 100);
    try {
      fails(t, await check(true), dataPack, 'read_data');
      const sc = await post<SnapshotCheckResult>(d, `/api/snapshots/${s1}/check`, {});
      t.equal(sc.json.status, 'failure', 'the snapshot\'s own check reads its data and fails');
      const dest = join(work, 'r-unit');
      const r = await post<RestoreResult>(d, `/api/snapshots/${s1}/restore`, { destination: dest });
      t.equal(r.status, 200, r.text.slice(0, 300));
      const hex = dataPack.slice(dataPack.lastIndexOf('/') + 1);
      t.ok(r.json.errors.some((e) => e.message.includes(hex)), `the restore names the pack: ${JSON.stringify(r.json.errors)}`);
      for (const [name, want] of [['a.txt', Buffer.from(small)], ['b.bin', big]] as Array<[string, Buffer]>) {
        const p = join(dest, src, name);
        if (!existsSync(p)) continue;
        const got = readFileSync(p);
        let wrong = got.length > want.length ? 1 : 0;
        for (let i = 0; i < got.length && wrong === 0; i++) if (got[i] !== 0 && got[i] !== want[i]) wrong++;
        t.equal(wrong, 0, `${name}: no wrong byte written`);
      }
      const other2 = await post<RestoreResult>(d, `/api/snapshots/${s2}/restore`, { destination: join(work, 'r-unit-other') });
      t.same(other2.json.errors, [], 'a snapshot not using the pack restores');
    } finally {
      undo();
    }
    await clean(t, 'data unit');
  });

  t.test('a data pack\'s trailer and footer', async (t) => {
    for (const [off, what] of [[-20 - 100, 'trailer'], [-3, 'footer checksum'], [-12, 'footer magic']] as Array<[number, string]>) {
      const undo = flip(d.repo, dataPack, off);
      try {
        fails(t, await check(false), dataPack, `${what}, plain`);
        fails(t, await check(true), dataPack, `${what}, read_data`);
      } finally {
        undo();
      }
      await clean(t, what);
    }
  });

  t.test('a tree pack', async (t) => {
    const undo = flip(d.repo, treePack, 32 + 10);
    try {
      fails(t, await check(false), null, 'tree unit, plain');
      fails(t, await check(true), treePack, 'tree unit, read_data');
    } finally {
      undo();
    }
    await clean(t, 'tree unit');
  });

  t.test('a snapshot object', async (t) => {
    const undo = flip(d.repo, snapObject, 8 + 12 + 4);
    try {
      fails(t, await check(false), snapObject, 'snapshot, plain');
      fails(t, await check(true), snapObject, 'snapshot, read_data');
    } finally {
      undo();
    }
    await clean(t, 'snapshot');
  });

  t.test('a snapshot object that cannot be authenticated is damaged after a restart', async (t) => {
    flip(d.repo, snapObject, -5);
    await d.stop();
    d = await startCairnd(t, { dir: d.dir });
    const list = await get<SnapshotList>(d, '/api/repository/snapshots');
    t.equal(list.status, 200, list.text.slice(0, 300));
    const status = Object.fromEntries(list.json.items.map((s) => [s.id, s.status]));
    t.same(status, { [s1]: 'damaged', [s2]: 'complete' }, 'the tampered one is damaged, the other complete');
    const latest = await get<{ item: Snapshot }>(d, '/api/snapshot/latest');
    t.equal(latest.json.item.id, s2, 'latest skips the damaged snapshot');
    const dest = join(work, 'r-after');
    const r = await post<RestoreResult>(d, `/api/snapshots/${s2.slice(0, 6)}/restore`, { destination: dest });
    t.equal(r.status, 200, r.text.slice(0, 300));
    t.same(r.json.errors, []);
    t.same(compareTrees(other, join(dest, other)), [], 'the other snapshot restores identical');
    fails(t, await check(false), snapObject, 'after the restart');
  });
});
