// tui/cli/commands/check.ts and repair.ts in-process against a fake cairnd: bodies,
// results and exit codes; the progress bar on a terminal.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { makeJob, memIo, serveJob, setup } from '../../fake-cairnd.js';

const OK = { status: 'success', checked_packs: 4, checked_snapshots: 2, read_bytes: 2048, errors: [], notes: ['1 unreferenced pack'] };

t.test('check sends read_data and the subset; success exits 0', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/repository/check', makeJob('c1', { kind: 'check', status: 'success', result: OK }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'check', '--read-data-subset', '12.5%'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { read_data: false, read_data_subset: '12.5%' });
  t.equal(fake.requests[0]!.query.get('async'), 'true');
  t.equal(io.stdout.text, 'checked 2 snapshots and 4 packs, read 2.000 KiB\nnote: 1 unreferenced pack\nno errors were found\n');
  t.equal(io.stderr.text, '', 'no progress drawn when stderr is not a terminal');

  const all = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'check', '--read-data', '--json'], all), 0);
  t.same(fake.requests.at(-3)!.body, { read_data: true, read_data_subset: null });
  t.same(JSON.parse(all.stdout.text), OK);
});

t.test('check with errors exits 1', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const bad = { ...OK, status: 'failure', errors: [{ object: 'packs/ab/ab12', message: 'trailer does not authenticate', snapshots: ['1234567890'], files: [] }] };
  serveJob(fake, 'POST /api/repository/check', makeJob('c1', { kind: 'check', status: 'success', result: bad }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'check'], io), 1);
  t.equal(io.stderr.text, 'error: packs/ab/ab12: trailer does not authenticate (snapshots 12345678)\ncairn: check found 1 error\n');
});

t.test('on a terminal a progress line is drawn on stderr and cleared', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/repository/check', makeJob('c1', { kind: 'check', status: 'success', result: OK }));
  const io = await memIo(dir, {}, true);
  t.equal(await runCli(['--socket', sock, 'check'], io), 0, io.stderr.text);
  t.match(io.stderr.text, /^\r\[backing up\]  50\.0%  1 \/ 2 files  10 B \/ 20 B  5 B\/s  ETA 0:02\x1b\[K/);
  t.ok(io.stderr.text.endsWith('\r\x1b[K'), 'the bar is erased at the end');
  t.match(io.stdout.text, /no errors were found/);
});

t.test('repair index asks for rebuild_cache', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  serveJob(fake, 'POST /api/repository/maintenance',
    makeJob('m1', { kind: 'maintenance', status: 'success', result: { cleaned_objects: 0, reclaimed_space: 0, errors: [] } }));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, '--repo', 'nas', 'repair', 'index'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { operations: ['rebuild_cache'] });
  t.equal(fake.requests[0]!.query.get('repository'), 'nas');
  t.equal(io.stdout.text, 'index rebuilt\n');

  const bad = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'repair', 'everything'], bad), 2);
  t.match(bad.stderr.text, /^cairn: [^\n]+\n$/);
});
