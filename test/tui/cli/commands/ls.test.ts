// tui/cli/commands/ls.ts in-process against a fake cairnd: the reference in the URL,
// paging, and the `ls -l` listing.
import t from 'tap';

process.env.TZ = 'UTC'; // times are printed in local time
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import type { Entry } from '../../../../shared/schemas/index.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

function entry(name: string, over: Partial<Entry> = {}): Entry {
  return {
    name, path: `/home/ann/${name}`, parent_path: '/home/ann', type: 'file', size: 1234, mode: '0644',
    permissions: '-rw-r--r--', mtime: '2024-05-01T12:00:00.000Z', uid: 1000, gid: 1000, username: 'ann',
    groupname: 'users', nlink: 1,
    file_info: { name, size: 1234, mode: 0o644, mod_time: '2024-05-01T12:00:00.000Z', uid: 1000, gid: 1000, nlink: 1, username: 'ann', groupname: 'users' },
    ...over,
  };
}

t.test('pages through a directory and lists it like ls -l', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const all = [
    entry('a.txt'),
    entry('link', { type: 'symlink', permissions: 'lrwxrwxrwx', target: 'a.txt', size: 5, username: null, groupname: null }),
    entry('bad\u001bname', { size: 7 }),
  ];
  fake.on('GET /api/snapshot/vfs/children/abcd:/home/my%20dir', (q, res) => {
    const offset = Number(q.query.get('offset'));
    sendJson(res, 200, { total: all.length, items: all.slice(offset, offset + 2) });
  });
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'ls', 'abcd:/home/my dir'], io), 0, io.stderr.text);
  t.equal(fake.requests.length, 2);
  t.equal(fake.requests[0]!.url, '/api/snapshot/vfs/children/abcd:/home/my%20dir?offset=0&limit=1000');
  t.equal(io.stdout.text, [
    '-rw-r--r--  ann   users  1234  2024-05-01 12:00:00  a.txt',
    'lrwxrwxrwx  1000  1000      5  2024-05-01 12:00:00  link -> a.txt',
    '-rw-r--r--  ann   users     7  2024-05-01 12:00:00  bad?name',
    '',
  ].join('\n'));

  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, '--json', 'ls', 'abcd:/home/my%20dir'], json), 0);
  t.same(JSON.parse(json.stdout.text), { total: 3, items: all });
});

t.test('a snapshot alone lists its root', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('GET /api/snapshot/vfs/children/latest', (_q, res) => sendJson(res, 200, { total: 0, items: [] }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'ls', 'latest'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, '');
});
