// tui/cli/commands/events.ts in-process against a fake cairnd: one line per event (people)
// or per JSON object (--json), events of no known name skipped, Ctrl-C ends with 0, a stream that
// ends is exit 1.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { makeJob, memIo, setup, type MemIo } from '../../fake-cairnd.js';

/** Resolves once `text` has been written to the io's stdout. */
function printed(io: MemIo, text: string): Promise<void> {
  return new Promise((resolve) => {
    const write = io.stdout.write.bind(io.stdout);
    io.stdout.write = (chunk: string) => {
      const r = write(chunk);
      if (io.stdout.text.includes(text)) resolve();
      return r;
    };
  });
}

const S = 'c'.repeat(64);

t.test('events: lines for people, JSON lines, Ctrl-C and a closed stream', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const frames = [
    ['job.created', makeJob('j1', { status: 'pending' })],
    ['job.progress', makeJob('j1', { progress: { ...makeJob('j1').progress, stage: 'scan\u0007', percent: 12.5 } })],
    ['future.thing', { anything: true }],
    ['mount.changed', { mountpoint: '/mnt' }],
    ['job.finished', makeJob('j1', { status: 'failed', error: { code: 'internal-error', message: 'boom', params: {} } })],
    ['snapshot.created', { repository: 'main', snapshot_id: S, job_id: 'j1', reason: 'undelete' }],
    ['snapshot.removed', { repository: 'main', snapshot_ids: [S, S], job_id: 'r' }],
  ] as const;
  let hold = true;
  fake.on('GET /api/events', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': keep-alive\n\n');
    for (const [event, data] of frames) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (!hold) res.end();
  });

  const io = await memIo(dir);
  const seen = printed(io, 'snapshot.removed');
  const running = runCli(['--socket', sock, 'events'], io);
  await seen;
  io.interrupt();
  t.equal(await running, 0, 'Ctrl-C ends it well');
  const lines = io.stdout.text.trimEnd().split('\n').map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}/, ''));
  t.same(lines, [
    'job.created       backup j1 pending (main)',
    'job.progress      backup j1 running 12.5% [scan?] (main)',
    'mount.changed     {"mountpoint":"/mnt"}',
    'job.finished      backup j1 failed: boom (main)',
    'snapshot.created  cccccccc in main (undeleted)',
    'snapshot.removed  cccccccc cccccccc from main',
  ]);

  const json = await memIo(dir);
  const seenJson = printed(json, 'snapshot.removed');
  const r2 = runCli(['--socket', sock, 'events', '--json'], json);
  await seenJson;
  json.interrupt();
  t.equal(await r2, 0);
  const objs = json.stdout.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; data: unknown });
  t.same(objs.map((o) => o.event), ['job.created', 'job.progress', 'mount.changed', 'job.finished', 'snapshot.created', 'snapshot.removed']);
  t.same(objs[5]!.data, frames[6][1]);

  hold = false;
  const ended = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'events'], ended), 1, 'a stream cairnd closes is exit 1');
  t.equal(ended.stderr.text, 'cairn: cairnd closed the event stream\n');
});
