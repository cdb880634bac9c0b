// daemon/repository/registry.ts beyond add and list: rename (entry, stored passphrase, open
// repository), a new stored passphrase only once it unlocks, test, and forget (never the
// data; the default only when it is the last one). Everything persists across a reload.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../../../daemon/repository/index.js';
import { WorkerPool } from '../../../daemon/workers/index.js';
import { tmpDir } from '../../helpers/tmp.js';

process.env.CAIRN_KDF_N ??= '1024';

interface T { teardown(fn: () => void | Promise<void>): void }

async function load(t: T, state: string, pool: WorkerPool): Promise<Registry> {
  const r = await Registry.load(state, pool, async () => {});
  t.teardown(() => r.close());
  return r;
}

t.test('rename, default, passphrase, test, forget', async (t) => {
  const dir = tmpDir(t);
  const state = join(dir, 'state');
  const pool = new WorkerPool({ threads: 1 });
  t.teardown(() => pool.close());
  const reg = await load(t, state, pool);
  await reg.add({ location: join(dir, 'one'), passphrase: 'pass one' });
  await reg.add({ location: join(dir, 'two'), passphrase: 'pass two' });
  t.same(reg.list().map((e) => [e.name, e.default]), [['one', true], ['two', false]]);
  t.throws(() => reg.entry('nope'), { code: 'not-found' });

  const renamed = await reg.rename('two', 'second');
  t.same(renamed, { name: 'second', location: `fs:${join(dir, 'two')}`, default: false });
  t.equal(reg.get('second').name, 'second', 'the open repository has the new name');
  t.throws(() => reg.get('two'), { code: 'not-found' });
  t.equal(readFileSync(reg.secretFile('second'), 'utf8'), 'pass two', 'the stored passphrase moved');
  t.notOk(existsSync(reg.secretFile('two')));
  await t.rejects(reg.rename('second', 'one'), { code: 'conflict' });
  await t.rejects(reg.rename('second', '../x'), { code: 'invalid_params' });

  await t.rejects(reg.setPassphrase('second', 'wrong'), { code: 'unprocessable', params: { passphrase: {} } });
  t.equal(readFileSync(reg.secretFile('second'), 'utf8'), 'pass two', 'a wrong passphrase is not stored');
  await reg.setPassphrase('second', 'pass two');

  let clock = 0;
  const ok = await reg.test('second', () => (clock += 5));
  t.same(ok, { ok: true, latencyMs: 5 });
  await reg.setDefault('second');
  t.same(reg.list().map((e) => [e.name, e.default]), [['one', false], ['second', true]]);

  await t.rejects(reg.remove('second'), { code: 'conflict', params: { others: ['one'] } }, 'the default goes only when it is the last');
  const gone = await reg.remove('one');
  t.same(gone, { name: 'one', location: `fs:${join(dir, 'one')}`, default: false });
  t.ok(existsSync(join(dir, 'one', 'config')), 'its data stays');
  t.notOk(existsSync(reg.secretFile('one')), 'its stored passphrase is gone');
  await reg.close();

  const again = await load(t, state, pool);
  t.same(again.list(), [{ name: 'second', location: `fs:${join(dir, 'two')}`, default: true }], 'the registry file kept all that');
  await again.remove('second');
  t.same(again.list(), [], 'the last one, the default, can go');
});

t.test('test reports a failure instead of throwing it', async (t) => {
  const dir = tmpDir(t);
  const pool = new WorkerPool({ threads: 1 });
  t.teardown(() => pool.close());
  const reg = await load(t, join(dir, 'state'), pool);
  await reg.add({ location: join(dir, 'r'), passphrase: 'right' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(reg.secretFile('r'), 'changed by hand');
  const r = await reg.test('r');
  t.equal(r.ok, false);
  t.match(r.error, /wrong passphrase/);
  t.ok(r.latencyMs >= 0);
  await t.rejects(reg.test('nope'), { code: 'not-found' }, 'an unknown name is still 404');
});
