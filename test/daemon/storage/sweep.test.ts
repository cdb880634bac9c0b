// Storage.sweep on local disk (maintenance `cleanup`): abandoned tmp/ files go, the files
// of open uploads stay and still commit, empty packs/xx/ directories go, full ones and
// every object stay; a pack committed while the sweep runs lands.
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStorage } from '../../../daemon/storage/index.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('sweep removes abandoned tmp files and empty pack directories only', async (t) => {
  const dir = tmpDir(t);
  const s = await openLocalStorage(dir);
  t.teardown(() => s.close());
  await s.put('config', Buffer.from('c'));
  await s.put('snapshots/' + 'a'.repeat(64), Buffer.from('snap'));
  await s.put('trash/snapshots/' + 'b'.repeat(64), Buffer.from('trashed'));
  await s.put('packs/cc/' + 'c'.repeat(64), Buffer.from('pack'));
  mkdirSync(join(dir, 'packs', 'dd'));
  mkdirSync(join(dir, 'packs', 'ee'));
  writeFileSync(join(dir, 'tmp', 'stale-1'), Buffer.alloc(1000));
  writeFileSync(join(dir, 'tmp', 'stale-2'), Buffer.alloc(24));
  const open = await s.upload();
  await open.write(Buffer.from('in progress'));

  const r = await s.sweep();
  t.same(r, { files: 2, bytes: 1024, dirs: 2 });
  t.same(readdirSync(join(dir, 'tmp')).length, 1, 'the open upload\'s file stays');
  t.same(readdirSync(join(dir, 'packs')).sort(), ['cc'], 'empty pack directories are gone, the full one stays');
  for (const name of ['config', 'snapshots/' + 'a'.repeat(64), 'trash/snapshots/' + 'b'.repeat(64), 'packs/cc/' + 'c'.repeat(64)]) {
    t.ok(existsSync(join(dir, name)), `${name} stays`);
  }
  await open.commit('packs/ff/' + 'f'.repeat(64));
  t.equal((await s.get('packs/ff/' + 'f'.repeat(64))).toString(), 'in progress', 'the open upload still commits');
  t.same(await s.sweep(), { files: 0, bytes: 0, dirs: 0 }, 'nothing left to sweep');
});

t.test('a sweep and packs placed into new directories do not trip each other', async (t) => {
  const dir = tmpDir(t);
  const s = await openLocalStorage(dir);
  t.teardown(() => s.close());
  for (let i = 0; i < 40; i++) mkdirSync(join(dir, 'packs', i.toString(16).padStart(2, '0')), { recursive: true });
  const names = Array.from({ length: 40 }, (_, i) => `packs/${i.toString(16).padStart(2, '0')}/${String(i).padStart(64, '0')}`);
  const uploads = await Promise.all(names.map(async (n) => {
    const u = await s.upload();
    await u.write(Buffer.from(n));
    return u;
  }));
  const [sweep] = await Promise.all([s.sweep(), ...uploads.map((u, i) => u.commit(names[i]!))]);
  t.equal(sweep.files, 0, 'no open upload was swept');
  for (const n of names) t.equal((await s.get(n)).toString(), n, `${n} landed`);
});
