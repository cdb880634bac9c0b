// tui/cli/commands/restore.ts against a fake cairnd: the URL and body it sends for a
// whole snapshot and for SNAPSHOT:PATH, and its exit codes.
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { restoreBody } from '../../../../tui/cli/index.js';
import { makeJob, serveJob, setup } from '../../fake-cairnd.js';

const RESULT = { restored_files: 2, restored_bytes: 2048, skipped: 1, errors: [] as Array<{ path: string; message: string }> };

t.test('SNAPSHOT:PATH sends the decoded path with rebase, the snapshot in the URL', async (t) => {
  const { dir, fake, cairn } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/snapshots/1a2b3c4d/restore', makeJob('r1', { kind: 'restore', status: 'success', result: RESULT }));
  const r = await cairn(['restore', '1a2b3c4d:/home/ann/my%20doc', '--target', 'out', '--overwrite', 'if-newer']);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, `restored 2 files (2.000 KiB) to ${join(dir, 'out')}; 1 left as they were\n`);
  const q = fake.requests[0]!;
  t.equal(q.method, 'POST');
  t.equal(q.path, '/api/snapshots/1a2b3c4d/restore');
  t.equal(q.query.get('async'), 'true');
  t.same(q.body, { destination: join(dir, 'out'), paths: ['/home/ann/my doc'], rebase: true, overwrite: 'if-newer' });
});

t.test('a whole snapshot restores every path (paths [], no rebase); a path without / gets one', async (t) => {
  const { dir, fake, run } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/snapshots/latest/restore', makeJob('r1', { kind: 'restore', status: 'success', result: RESULT }));
  const r = await run(['--json', 'restore', 'latest', '--target', dir]);
  t.equal(r.code, 0, r.stderr);
  t.same(JSON.parse(r.stdout), RESULT);
  t.same(fake.requests[0]!.body, { destination: dir, paths: [], rebase: false, overwrite: 'never' });

  const r2 = await run(['restore', 'latest:etc/hosts', '--target', dir]);
  t.equal(r2.code, 0, r2.stderr);
  t.same((fake.requests.at(-3)!.body as { paths: string[] }).paths, ['/etc/hosts']);
});

t.test('entries that could not be restored: listed, exit 1', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  const result = { ...RESULT, errors: [{ path: '/etc/shadow', message: 'permission denied' }] };
  serveJob(fake, 'POST /api/snapshots/abcd/restore', makeJob('r1', { kind: 'restore', status: 'success', result }));
  const r = await run(['restore', 'abcd', '--target', 'out']);
  t.equal(r.code, 1);
  t.equal(r.stderr, 'error: /etc/shadow: permission denied\ncairn: 1 entries could not be restored\n');
});

t.test('bad arguments are usage errors before any request', async (t) => {
  const { fake, run } = await setup(t, tmpDir);
  const cases = [['restore', 'latest'], ['restore', 'xyz:/a', '--target', 'o'], ['restore', 'ab', '--target', 'o'],
    ['restore', 'latest', '--target', 'o', '--overwrite', 'sometimes'], ['restore', 'latest:/%zz', '--target', 'o']];
  const results = await Promise.all(cases.map((args) => run(args)));
  for (const [i, args] of cases.entries()) {
    const r = results[i]!;
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, /^cairn: [^\n]+\n$/, args.join(' '));
    t.equal(r.stdout, '');
  }
  t.equal(fake.requests.length, 0);
});

t.test('restoreBody', async (t) => {
  t.same(restoreBody(null, '/d', 'never'), { destination: '/d', paths: [], rebase: false, overwrite: 'never' });
  t.same(restoreBody(Buffer.from('/a b'), '/d', 'always'), { destination: '/d', paths: ['/a b'], rebase: true, overwrite: 'always' });
});
