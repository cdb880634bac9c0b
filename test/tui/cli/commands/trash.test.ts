// tui/cli/commands/forget.ts, undelete.ts, trash.ts and maintenance.ts in-process against
// a fake cairnd: the requests they make, what they print, their exit codes.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { makeJob, memIo, sendError, sendJson, serveJob, setup } from '../../fake-cairnd.js';

process.env.TZ = 'UTC';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

t.test('forget runs the remove job; --dry-run sends apply:false', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  serveJob(fake, 'DELETE /api/snapshots/remove', makeJob('r1', { kind: 'remove', status: 'success', result: { removed: [A, B] } }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'forget', 'aaaa', 'latest'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { snapshot_ids: ['aaaa', 'latest'], apply: true });
  t.equal(fake.requests[0]!.query.get('async'), 'true');
  t.equal(io.stdout.text, `aaaaaaaa  moved to the trash\nbbbbbbbb  moved to the trash\n(bring them back with: cairn undelete aaaaaaaa bbbbbbbb)\n`);
  const dry = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'forget', '--dry-run', 'aaaa', '--json'], dry), 0);
  t.same(fake.requests.find((r) => r.method === 'DELETE' && (r.body as { apply: boolean }).apply === false)?.body, { snapshot_ids: ['aaaa'], apply: false });
  t.same(JSON.parse(dry.stdout.text), { removed: [A, B] });
  const none = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'forget'], none), 2, 'at least one snapshot');
});

t.test('undelete and trash', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/snapshots/undelete', (q, res) => {
    const ids = (q.body as { snapshot_ids: string[] }).snapshot_ids;
    if (ids.includes('ffff')) return sendError(res, 404, 'not-found', 'Snapshot not in the trash', { snapshot_ids: 'ffff' });
    return sendJson(res, 200, { restored: [A] });
  });
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'undelete', 'aaaa', '--repo', 'second'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, 'aaaaaaaa  restored from the trash\n');
  t.equal(fake.requests[0]!.query.get('repository'), 'second', '--repo travels as ?repository=');
  const missing = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'undelete', 'ffff'], missing), 1);
  t.equal(missing.stderr.text, 'cairn: Snapshot not in the trash\n');

  const item = {
    id: A, status: 'complete', identifier: A, short_id: 'aaaaaaaa', timestamp: '2024-05-01T10:00:00Z', hostname: 'h', username: 'u',
    importer: { type: 'fs', origin: 'h', directory: '/data' }, sources: [{ importer: { type: 'fs', origin: 'h', directory: '/data' } }],
    tags: [], summary: { files: 1, directories: 1, symlinks: 0, size: 2048, stored_size: 10, errors: 0, duration_ms: 1 },
    duration: 1, parent: null, job_id: null, removed_at: '2024-05-02T10:00:00.000Z',
  };
  fake.on('GET /api/repository/trash', (_q, res) => sendJson(res, 200, { total: 1, items: [item] }));
  const list = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'trash'], list), 0, list.stderr.text);
  t.match(list.stdout.text, /aaaaaaaa\s+2024-05-02 10:00:00\s+2024-05-01 10:00:00\s+h\s+\/data\s+2\.000 KiB/);
  t.match(list.stdout.text, /1 snapshot in the trash/);
  fake.on('GET /api/repository/trash', (_q, res) => sendJson(res, 200, { total: 0, items: [] }));
  const empty = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'trash'], empty), 0);
  t.equal(empty.stdout.text, 'the trash is empty\n');
});

t.test('maintenance: cleanup by default; flags pick operations; errors are exit 1', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/repository/maintenance', makeJob('m1', { kind: 'maintenance', status: 'success', result: { cleaned_objects: 3, reclaimed_space: 2048, errors: [] } }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'maintenance'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { operations: ['cleanup'] });
  t.equal(io.stdout.text, 'cleaned up 3 object(s), 2.000 KiB\n');
  serveJob(fake, 'POST /api/repository/maintenance', makeJob('m2', { kind: 'maintenance', status: 'success', result: { cleaned_objects: 0, reclaimed_space: 0, errors: ['packs/ab/ab: bad'] } }));
  const bad = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'maintenance', '--verify', '--rebuild-index'], bad), 1);
  t.same(fake.requests[fake.requests.length - 3]!.body, { operations: ['rebuild_cache', 'verify_integrity'] });
  t.match(bad.stderr.text, 'error: packs/ab/ab: bad');
  t.match(bad.stderr.text, 'cairn: maintenance found 1 error');
});
