// The local storage backend: atomic puts, streamed uploads, ranged reads through the handle
// cache, listing, removal, createExclusive and the errors of the Storage contract.
import t, { type Test } from 'tap';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStorage, type Storage, type StorageEntry } from '../../../daemon/storage/index.js';
import { tmpDir } from '../../helpers/tmp.js';

async function fresh(t: Test): Promise<{ dir: string; s: Storage }> {
  const dir = tmpDir(t);
  const s = await openLocalStorage(dir);
  t.teardown(() => s.close());
  return { dir, s };
}

async function collect(it: AsyncIterable<StorageEntry>): Promise<string[]> {
  const names: string[] = [];
  for await (const e of it) names.push(e.name);
  return names.sort();
}

const tmpFiles = (dir: string): string[] => (existsSync(join(dir, 'tmp')) ? readdirSync(join(dir, 'tmp')) : []);

t.test('openLocalStorage needs an existing directory', async (t) => {
  const dir = tmpDir(t);
  await t.rejects(openLocalStorage(join(dir, 'missing')), { code: 'invalid_params' });
  writeFileSync(join(dir, 'file'), 'x');
  await t.rejects(openLocalStorage(join(dir, 'file')), { code: 'invalid_params' });
  const s = await openLocalStorage(dir);
  t.equal(s.location, `fs:${dir}`);
  await s.close();
});

t.test('put then get, replace, stat, remove', async (t) => {
  const { dir, s } = await fresh(t);
  await s.put('config', Buffer.from('one'));
  t.equal((await s.get('config')).toString(), 'one');
  t.same(await s.stat('config'), { size: 3 });
  await s.put('snapshots/deep/er/x', Buffer.from('nested'));
  t.equal(readFileSync(join(dir, 'snapshots/deep/er/x'), 'utf8'), 'nested', 'parent directories are created');
  // A replaced object is read anew even though a handle of the old one was cached.
  t.equal((await s.getRange('config', 0, 3)).toString(), 'one');
  await s.put('config', Buffer.from('two!'));
  t.equal((await s.getRange('config', 0, 4)).toString(), 'two!');
  t.equal((await s.get('config')).toString(), 'two!');
  const u = await s.upload();
  await u.write(Buffer.from('three'));
  await u.commit('config');
  t.equal((await s.getRange('config', 0, 5)).toString(), 'three', 'a commit replaces the cached handle too');
  t.same(await s.stat('config'), { size: 5 });
  t.same(tmpFiles(dir), [], 'no temp file is left behind');
  await s.remove('config');
  t.equal(await s.stat('config'), null);
  await t.rejects(s.get('config'), { code: 'not-found', params: { object: 'config' } });
  await s.remove('config'); // absent is not an error
  t.equal(await s.stat('snapshots'), null, 'a directory is not an object');
  await s.put('empty', new Uint8Array(0));
  t.equal((await s.get('empty')).length, 0);
  await t.rejects(s.get('snapshots/deep'), { code: 'not-found' }, 'a directory is not an object');
  await t.rejects(s.getRange('snapshots/deep', 0, 1), { code: 'not-found' });
  await t.rejects(s.get('config/below-a-file'), { code: 'not-found' });
  // tmp/ removed behind our back (an operator cleaning up): the next write recreates it.
  rmSync(join(dir, 'tmp'), { recursive: true });
  await s.put('again', Buffer.from('ok'));
  t.equal((await s.get('again')).toString(), 'ok');
});

t.test('bad names are refused', async (t) => {
  const { s } = await fresh(t);
  for (const name of ['', '/abs', 'a//b', '../x', 'a/../b', './a', 'a/', 'nul\0']) {
    await t.rejects(s.put(name, Buffer.from('x')), { code: 'invalid_params' }, JSON.stringify(name));
    await t.rejects(s.get(name), { code: 'invalid_params' }, JSON.stringify(name));
  }
});

t.test('getRange reads exact ranges and reports short reads', async (t) => {
  const { dir, s } = await fresh(t);
  const bytes = Buffer.alloc(100_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  await s.put('packs/ab/pack', bytes);
  t.same(await s.getRange('packs/ab/pack', 0, 10), bytes.subarray(0, 10));
  t.same(await s.getRange('packs/ab/pack', 99_990, 10), bytes.subarray(99_990));
  t.equal((await s.getRange('packs/ab/pack', 5, 0)).length, 0);
  const parallel = await Promise.all(Array.from({ length: 20 }, (_, i) => s.getRange('packs/ab/pack', i * 1000, 3000)));
  parallel.forEach((b, i) => t.same(b, bytes.subarray(i * 1000, i * 1000 + 3000), `parallel read ${i}`));
  await t.rejects(s.getRange('packs/ab/pack', 99_990, 11), { code: 'internal-error', message: 'short read', params: { object: 'packs/ab/pack' } });
  await t.rejects(s.getRange('packs/ab/nope', 0, 1), { code: 'not-found', params: { object: 'packs/ab/nope' } });
  // An object truncated behind our back (a torn file): the cached handle sees the new size.
  truncateSync(join(dir, 'packs/ab/pack'), 50);
  await t.rejects(s.getRange('packs/ab/pack', 40, 20), { code: 'internal-error', message: 'short read' });
  // remove closes and evicts the cached handle: the object is gone for readers too.
  await s.remove('packs/ab/pack');
  await t.rejects(s.getRange('packs/ab/pack', 0, 1), { code: 'not-found' });
});

t.test('many objects cycle through the handle cache', async (t) => {
  const { s } = await fresh(t);
  for (let i = 0; i < 150; i++) await s.put(`packs/${String(i % 3)}/${String(i)}`, Buffer.from(`object ${i}`));
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 150; i++) {
      t.equal((await s.getRange(`packs/${String(i % 3)}/${String(i)}`, 0, 6)).toString(), 'object', `round ${round} object ${i}`);
    }
  }
});

t.test('uploads: commit makes the object appear whole, abort leaves nothing', async (t) => {
  const { dir, s } = await fresh(t);
  const u = await s.upload();
  await u.write(Buffer.from('hello '));
  t.equal(u.size, 6);
  // Unawaited writes land in call order.
  const writes = [u.write(Buffer.from('wor')), u.write(Buffer.from('ld'))];
  await Promise.all(writes);
  t.equal(u.size, 11);
  t.same(await collect(s.list('packs/')), [], 'nothing under its final name before commit');
  t.equal(tmpFiles(dir).length, 1, 'the partial object lives in tmp/');
  await u.commit('packs/ab/abcdef');
  t.equal((await s.get('packs/ab/abcdef')).toString(), 'hello world');
  t.same(tmpFiles(dir), []);
  await t.rejects(u.write(Buffer.from('more')), { code: 'internal-error' }, 'no write after commit');
  await u.abort(); // after commit: nothing to do
  t.ok(existsSync(join(dir, 'packs/ab/abcdef')), 'abort after commit keeps the object');

  const v = await s.upload();
  await v.write(Buffer.alloc(5000, 1));
  await v.abort();
  await v.abort(); // twice is fine
  t.same(tmpFiles(dir), [], 'abort removes the temp file');
  await t.rejects(v.commit('packs/cd/x'), { code: 'internal-error' });
  t.equal(await s.stat('packs/cd/x'), null);
});

t.test('list streams names under a prefix, without tmp/', async (t) => {
  const { dir, s } = await fresh(t);
  const names = ['config', 'keys/k1', 'packs/ab/ab01', 'packs/ab/ab02', 'packs/cd/cd01', 'snapshots/s1', 'trash/snapshots/s0'];
  for (const n of names) await s.put(n, Buffer.from(n));
  const pending = await s.upload();
  await pending.write(Buffer.from('partial'));
  t.teardown(() => pending.abort());
  mkdirSync(join(dir, 'packs', 'ef'));

  t.same(await collect(s.list('packs/')), ['packs/ab/ab01', 'packs/ab/ab02', 'packs/cd/cd01']);
  t.same(await collect(s.list('packs/ab/')), ['packs/ab/ab01', 'packs/ab/ab02']);
  t.same(await collect(s.list('packs/a')), ['packs/ab/ab01', 'packs/ab/ab02'], 'a partial last segment');
  t.same(await collect(s.list('packs/ab/ab02')), ['packs/ab/ab02']);
  t.same(await collect(s.list('snapshots/')), ['snapshots/s1'], 'trash/snapshots is not under snapshots/');
  t.same(await collect(s.list('nothing/')), []);
  t.same(await collect(s.list('')), [...names].sort(), 'everything but tmp/');
  const tmp = await collect(s.list('tmp/'));
  t.equal(tmp.length, 1, 'tmp/ is listed when asked for');
  t.match(tmp[0], /^tmp\/[0-9a-f]{32}$/);
  const sizes: Record<string, number> = {};
  for await (const e of s.list('packs/')) sizes[e.name] = e.size;
  t.same(sizes, { 'packs/ab/ab01': 13, 'packs/ab/ab02': 13, 'packs/cd/cd01': 13 });
  await t.rejects(collect(s.list('../')), { code: 'invalid_params' });
});

t.test('createExclusive creates once', async (t) => {
  const { dir, s } = await fresh(t);
  t.equal(await s.createExclusive('locks/one', Buffer.from('first')), true);
  t.equal(await s.createExclusive('locks/one', Buffer.from('second')), false);
  t.equal(readFileSync(join(dir, 'locks/one'), 'utf8'), 'first');
  t.equal(statSync(join(dir, 'locks/one')).mode & 0o777 & ~0o600, 0, 'objects are private to the owner');
});
