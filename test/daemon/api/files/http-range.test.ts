// parseRange against RFC 9110: one range served, several or malformed ignored (the whole
// file), unsatisfiable ones 416.
import t from 'tap';
import { parseRange } from '../../../../daemon/api/files/http-range.js';

t.test('Range headers', async (t) => {
  const size = 1000;
  const cases: Array<[string | undefined, ReturnType<typeof parseRange>]> = [
    [undefined, { kind: 'whole' }],
    ['bytes=0-99', { kind: 'partial', start: 0, end: 100 }],
    ['bytes=500-', { kind: 'partial', start: 500, end: 1000 }],
    ['bytes=-10', { kind: 'partial', start: 990, end: 1000 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 1000 }],
    ['bytes=990-5000', { kind: 'partial', start: 990, end: 1000 }],
    ['bytes=0-99999999999999999999', { kind: 'partial', start: 0, end: 1000 }],
    ['Bytes = 1-2', { kind: 'partial', start: 1, end: 3 }],
    ['bytes=999-999', { kind: 'partial', start: 999, end: 1000 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-2000', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['bytes=5-1', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=abc', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
  ];
  for (const [h, want] of cases) t.same(parseRange(h, size), want, String(h));
  t.same(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' }, 'any range of an empty file');
  t.same(parseRange('bytes=-1', 0), { kind: 'unsatisfiable' });
});
