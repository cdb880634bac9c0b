// daemon/jobs/admission.ts and progress.ts: pure tables.
import t from 'tap';
import { admit, backupKey, DEFAULT_LIMITS, nextProgress, emptyProgress, type Slot } from '../../../daemon/jobs/index.js';

const slot = (id: string, kind: Slot['kind'], repository: string | null, key: string | null = null, exclusive = false): Slot =>
  ({ id, kind, repository, key, exclusive });
const limits = { ...DEFAULT_LIMITS, backup: 2 };

t.test('admit', async (t) => {
  const cases: Array<[string, Slot[], Slot[], string[]]> = [
    ['empty', [], [], []],
    ['two backups fit, the third waits', [slot('a', 'backup', 'r'), slot('b', 'backup', 'r'), slot('c', 'backup', 'r')], [], ['a', 'b']],
    ['limits are per repository', [slot('a', 'backup', 'r'), slot('b', 'backup', 's')], [slot('x', 'backup', 'r'), slot('y', 'backup', 'r')], ['b']],
    ['same key waits for the running one', [slot('a', 'backup', 'r', 'k'), slot('b', 'backup', 'r', 'j')], [slot('x', 'backup', 'r', 'k')], ['b']],
    ['same key among pending: only the first', [slot('a', 'backup', 'r', 'k'), slot('b', 'backup', 'r', 'k')], [], ['a']],
    ['checks are unlimited', [slot('a', 'check', 'r'), slot('b', 'check', 'r'), slot('c', 'check', 'r')], [], ['a', 'b', 'c']],
    ['prune: one at a time', [slot('a', 'prune', 'r'), slot('b', 'prune', 'r')], [], ['a']],
    ['an exclusive job waits for the repository to be idle', [slot('a', 'maintenance', 'r', null, true)], [slot('x', 'check', 'r')], []],
    ['…and later jobs there wait behind it', [slot('a', 'maintenance', 'r', null, true), slot('b', 'check', 'r'), slot('c', 'check', 's')], [slot('x', 'check', 'r')], ['c']],
    ['a running exclusive job blocks its repository', [slot('a', 'check', 'r'), slot('b', 'check', 's')], [slot('x', 'maintenance', 'r', null, true)], ['b']],
    ['an idle repository admits an exclusive job alone', [slot('a', 'maintenance', 'r', null, true), slot('b', 'check', 'r')], [], ['a']],
  ];
  for (const [name, pending, running, want] of cases) t.same(admit(pending, running, limits), want, name);
});

t.test('backupKey: sorted, deduplicated sources', async (t) => {
  t.equal(backupKey({ source: ['/b', '/a', '/b'] }), backupKey({ source: ['/a', '/b'] }));
  t.equal(backupKey({ source: '/a' }), JSON.stringify(['/a']));
  t.not(backupKey({ source: '/a' }), backupKey({ source: '/b' }));
  t.equal(backupKey({}), null);
});

t.test('nextProgress', async (t) => {
  const p0 = emptyProgress();
  t.same(nextProgress(p0, { files_done: 3, files_total: 4 }, 0),
    { ...p0, files_done: 3, files_total: 4, percent: 75, rate_bps: null, eta_s: null }, 'percent from files without bytes');
  t.same(nextProgress(p0, { bytes_done: 2000, bytes_total: 10_000 }, 2000),
    { ...p0, bytes_done: 2000, bytes_total: 10_000, percent: 20, rate_bps: 1000, eta_s: 8 });
  t.same(nextProgress(p0, { bytes_done: 5, bytes_total: 0 }, 1000).percent, null, 'no total, no percent');
  t.equal(nextProgress(p0, { bytes_done: 50, bytes_total: 10 }, 1000).percent, 100, 'clamped');
});
