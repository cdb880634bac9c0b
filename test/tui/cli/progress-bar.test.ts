// tui/cli/progress-bar.ts: at most one redraw per interval, log lines above the bar,
// erased at the end. The clock is injected; no test waits for a timer.
import t from 'tap';
import { ProgressBar } from '../../../tui/cli/index.js';
import { makeJob } from '../fake-cairnd.js';

t.test('redraws at most every 250 ms', async (t) => {
  let now = 1000;
  let out = '';
  const bar = new ProgressBar({ write: (s: string) => { out += s; }, columns: 200 }, 250, () => now);
  t.teardown(() => bar.clear());
  bar.update(makeJob('j1'));
  t.match(out, /^\r\[backing up\]  50\.0%/);
  const first = out;
  now += 100;
  bar.update(makeJob('j1', { progress: { ...makeJob('j1').progress, percent: 60 } }));
  t.equal(out, first, 'not redrawn inside the interval');
  now += 150;
  bar.update(makeJob('j1', { progress: { ...makeJob('j1').progress, percent: 70 } }));
  t.match(out.slice(first.length), /^\r\[backing up\]  70\.0%/, 'redrawn with the latest state once the interval is over');
  out = '';
  bar.log('warn: something');
  t.match(out, /^\r\x1b\[Kwarn: something\n\r\[backing up\]  70\.0%/);
  out = '';
  bar.clear();
  t.equal(out, '\r\x1b[K');
  out = '';
  bar.clear();
  t.equal(out, '', 'nothing to erase twice');
});

t.test('shows the current file when the progress carries one', async (t) => {
  let out = '';
  const bar = new ProgressBar({ write: (s: string) => { out += s; }, columns: 120 }, 250, () => 0);
  const job = makeJob('j1');
  bar.update({ ...job, progress: { ...job.progress, current_file: '/home/ann/x.txt' } as typeof job.progress });
  bar.clear();
  t.match(out, /ETA 0:02  \/home\/ann\/x\.txt\x1b\[K/);
});
