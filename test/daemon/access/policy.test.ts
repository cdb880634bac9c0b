// daemon/access/policy.ts: restore_root for non-admins, a key's paths for backup sources,
// restored paths and destinations, and symlinks that would lead out of an allowed root.
import t from 'tap';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { checkBackupSources, checkRestore, pathInside, type Principal } from '../../../daemon/access/index.js';
import { tmpDir } from '../../helpers/tmp.js';

const admin: Principal = { kind: 'admin', role: 'admin', via: 'peer' };
const key = (role: Principal['role'], paths: string[] = []): Principal => ({ kind: 'key', role, keyId: 'k', via: 'token', paths });

t.test('pathInside', async (t) => {
  t.ok(pathInside('/a/b', '/a'));
  t.ok(pathInside('/a', '/a'));
  t.ok(pathInside('/anything', '/'));
  t.notOk(pathInside('/ab', '/a'));
  t.notOk(pathInside('/a', '/a/b'));
});

t.test('restore: non-admins only under restore_root; admins anywhere', async (t) => {
  const dir = tmpDir(t);
  const root = join(dir, 'restores');
  mkdirSync(root);
  const outside = join(dir, 'elsewhere');
  await checkRestore(admin, { destination: outside, paths: [], restoreRoot: root });
  await checkRestore(key('admin'), { destination: '/tmp/x', paths: [], restoreRoot: root });
  await checkRestore(key('operator'), { destination: join(root, 'job1', 'new'), paths: [], restoreRoot: root });
  await checkRestore(key('operator'), { destination: root, paths: [], restoreRoot: root });
  await t.rejects(checkRestore(key('operator'), { destination: outside, paths: [], restoreRoot: root }),
    { code: 'forbidden', params: { destination: {} } });
  await t.rejects(checkRestore(key('operator'), { destination: `${root}/../elsewhere`, paths: [], restoreRoot: root }),
    { code: 'forbidden' }, '.. is resolved');
  await t.rejects(checkRestore(key('operator'), { destination: `${root}x`, paths: [], restoreRoot: root }), { code: 'forbidden' }, 'a sibling with the same prefix');
  symlinkSync(outside, join(root, 'escape'));
  await t.rejects(checkRestore(key('operator'), { destination: join(root, 'escape', 'sub'), paths: [], restoreRoot: root }),
    { code: 'forbidden' }, 'a dangling symlink inside restore_root leading out');
  mkdirSync(outside);
  await t.rejects(checkRestore(key('operator'), { destination: join(root, 'escape', 'sub'), paths: [], restoreRoot: root }),
    { code: 'forbidden' }, 'a symlink inside restore_root leading out');
  await t.rejects(checkRestore(key('operator'), { destination: join(root, 'escape'), paths: [], restoreRoot: root }),
    { code: 'forbidden' }, 'the symlink itself');
  symlinkSync('loop', join(root, 'loop'));
  await t.rejects(checkRestore(key('operator'), { destination: join(root, 'loop', 'x'), paths: [], restoreRoot: root }), { code: 'forbidden' });
  await t.rejects(checkRestore(null, { destination: root, paths: [], restoreRoot: root }), { code: 'forbidden' });
  await checkRestore(key('operator'), { destination: 'relative', paths: [], restoreRoot: root }); // left to the route's 400
});

t.test('restore with paths: restored paths and the destination inside them (or restore_root)', async (t) => {
  const dir = tmpDir(t);
  const root = join(dir, 'restores');
  mkdirSync(root);
  const home = join(dir, 'home');
  mkdirSync(home);
  const limited = key('admin', [home]);
  await checkRestore(limited, { destination: join(home, 'out'), paths: [join(home, 'doc')], restoreRoot: root });
  await checkRestore(limited, { destination: root, paths: [home], restoreRoot: root });
  await t.rejects(checkRestore(limited, { destination: join(home, 'out'), paths: [], restoreRoot: root }),
    { code: 'forbidden', params: { paths: {} } }, 'the whole snapshot is more than its paths');
  await t.rejects(checkRestore(limited, { destination: join(home, 'out'), paths: ['/etc'], restoreRoot: root }), { code: 'forbidden' });
  await t.rejects(checkRestore(limited, { destination: '/var/tmp/x', paths: [home], restoreRoot: root }),
    { code: 'forbidden', params: { destination: {} } });
  await checkRestore(key('operator', [home]), { destination: join(root, 'x'), paths: [join(home, 'a')], restoreRoot: root });
});

t.test('backup sources: inside the key\'s paths, symlinked parents resolved', async (t) => {
  const dir = tmpDir(t);
  const home = join(dir, 'home');
  mkdirSync(join(home, 'docs'), { recursive: true });
  mkdirSync(join(dir, 'secret'));
  await checkBackupSources(key('appender'), ['/etc']);
  await checkBackupSources(admin, ['/etc']);
  await checkBackupSources(key('appender', [home]), [join(home, 'docs'), home]);
  await t.rejects(checkBackupSources(key('appender', [home]), [join(home, 'docs'), '/etc']), { code: 'forbidden', params: { source: {} } });
  await t.rejects(checkBackupSources(key('appender', [home]), [join(home, '..', 'secret')]), { code: 'forbidden' });
  symlinkSync(join(dir, 'secret'), join(home, 'link'));
  await checkBackupSources(key('appender', [home]), [join(home, 'link')]); // the link itself is inside: stored as a link
  await t.rejects(checkBackupSources(key('appender', [home]), [join(home, 'link', 'file')]), { code: 'forbidden' }, 'through the link');
});
