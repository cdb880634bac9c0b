// tui/cli/format.ts: sizes, durations, times, tables, names and the progress line.
import t from 'tap';
import { formatBytes, formatDuration, formatTable, formatTime, printable, progressLine, truncateLeft } from '../../../tui/cli/index.js';
import type { JobProgress } from '../../../shared/schemas/index.js';

process.env.TZ = 'UTC'; // formatTime prints local time

t.test('sizes in binary units', async (t) => {
  t.equal(formatBytes(0), '0 B');
  t.equal(formatBytes(1023), '1023 B');
  t.equal(formatBytes(1024), '1.000 KiB');
  t.equal(formatBytes(1536), '1.500 KiB');
  t.equal(formatBytes(5 * 1024 ** 3), '5.000 GiB');
  t.equal(formatBytes(NaN), '0 B');
});

t.test('durations and times', async (t) => {
  t.equal(formatDuration(0), '0:00');
  t.equal(formatDuration(61.4), '1:01');
  t.equal(formatDuration(3 * 3600 + 5), '3:00:05');
  t.equal(formatTime('2024-05-01T12:03:04.5Z'), '2024-05-01 12:03:04');
  t.equal(formatTime(null), '-');
  t.equal(formatTime('soon'), 'soon');
});

t.test('printable and truncateLeft', async (t) => {
  t.equal(printable('a\nb\u001b[31mc\u0085'), 'a?b?[31mc?');
  t.equal(truncateLeft('/home/ann/file', 8), '…nn/file');
  t.equal(truncateLeft('short', 8), 'short');
});

t.test('tables align columns, right-align numbers, never pad the last column', async (t) => {
  t.same(formatTable(['ID', 'Name', 'Size'], [['1', 'a', '10'], ['22', 'bbb', '5']], { right: [2] }),
    ['ID  Name  Size', '1   a       10', '22  bbb      5']);
  t.same(formatTable(['A', 'B'], [['x', 'yy']], { rules: true }), ['A  B', '-----', 'x  yy', '-----']);
  t.same(formatTable(null, [['é', 'z']]), ['é  z']);
});

t.test('progress line fits the width; the current file is cut from the left', async (t) => {
  const p: JobProgress = { stage: 'backing up', percent: 12.345, files_done: 3, files_total: 10, bytes_done: 2048,
    bytes_total: 4096, rate_bps: 1024, eta_s: 65 };
  t.equal(progressLine(p, 200), '[backing up]  12.3%  3 / 10 files  2.000 KiB / 4.000 KiB  1.000 KiB/s  ETA 1:05');
  const withFile = progressLine(p, 100, '/home/ann/a/very/long/path/to/some/file.txt');
  t.equal([...withFile].length, 100);
  t.match(withFile, /ETA 1:05  …[^ ]*file\.txt$/);
  t.equal([...progressLine(p, 30)].length, 30);
  const early: JobProgress = { stage: null, percent: null, files_done: 0, files_total: null, bytes_done: 0, bytes_total: null, rate_bps: null, eta_s: null };
  t.equal(progressLine(early, 80), '0 files  0 B');
});
