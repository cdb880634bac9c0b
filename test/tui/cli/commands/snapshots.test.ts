// tui/cli/commands/snapshots.ts, run in-process (runCli) against a fake cairnd: every
// page is read, the table, and --json.
import t from 'tap';

process.env.TZ = 'UTC'; // times are printed in local time
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import type { Snapshot } from '../../../../shared/schemas/index.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

function snap(n: number, over: Partial<Snapshot> = {}): Snapshot {
  const id = String(n).repeat(64).slice(0, 64);
  const importer = { type: 'fs', origin: 'host1', directory: '/home/ann' };
  return {
    id, status: 'complete', identifier: id, short_id: id.slice(0, 8), timestamp: '2024-05-01T12:00:00.000Z',
    hostname: 'host1', username: 'ann', importer, sources: [{ importer }, { importer: { ...importer, directory: '/etc' } }],
    tags: ['daily', 'x'], summary: { files: 12, directories: 3, symlinks: 0, size: 5 * 1024 * 1024, stored_size: 1, errors: 0, duration_ms: 9 },
    duration: 9_000_000, parent: null, job_id: 'j1', ...over,
  };
}

t.test('reads every page and prints a table', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const all = [snap(1), snap(2, { tags: [] }), snap(3, {
    status: 'damaged', timestamp: null, hostname: null, username: null, importer: null, sources: null, tags: null,
    summary: null, duration: null, job_id: null,
  })];
  fake.on('GET /api/repository/snapshots', (q, res) => {
    const offset = Number(q.query.get('offset'));
    sendJson(res, 200, { total: all.length, items: all.slice(offset, offset + 2) });
  });
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'snapshots'], io), 0, io.stderr.text);
  t.same(fake.requests.map((q) => q.query.get('offset')), ['0', '2']);
  t.equal(fake.requests[0]!.query.get('limit'), '1000');
  const lines = io.stdout.text.split('\n');
  t.match(lines[0], /^ID\s+Time\s+Host\s+Paths\s+Tags\s+Files\s+Size$/);
  t.match(lines[1], /^-+$/);
  t.match(lines[2], /^11111111\s+2024-05-01 12:00:00\s+host1\s+\/home\/ann, \/etc\s+daily,x\s+12\s+5\.000 MiB$/);
  t.match(lines[4], /^33333333 \(damaged\)\s+-\s+-\s+-\s+-\s+-$/);
  t.equal(lines.at(-2), '3 snapshots');
  t.equal(io.stderr.text, '');

  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'snapshots', '--json'], json), 0);
  t.same(JSON.parse(json.stdout.text), { total: 3, items: all });
});
