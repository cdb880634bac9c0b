// shared/snapshot-ref.ts: SNAPSHOT[:path] parsing per API.md "Conventions".
import t from 'tap';
import {
  formatSnapshotRef, parseSnapshotRef, parseSnapshotSelector, percentDecode, percentEncodePath, SnapshotRefError,
} from '../../shared/snapshot-ref.js';

const ID = 'a'.repeat(63) + 'F';

t.test('selectors: full id, prefix, latest', async (t) => {
  t.same(parseSnapshotSelector(ID), { kind: 'id', id: ID.toLowerCase() });
  t.same(parseSnapshotSelector('AbCd'), { kind: 'prefix', prefix: 'abcd' });
  t.same(parseSnapshotSelector('0123456789abcdef'), { kind: 'prefix', prefix: '0123456789abcdef' });
  t.same(parseSnapshotSelector('latest'), { kind: 'latest' });
});

t.test('malformed selectors are typed errors on the snapshot field', async (t) => {
  for (const bad of ['', 'abc', 'xyz1', 'abcd-', 'a'.repeat(65), 'Latest', 'latest2']) {
    t.throws(() => parseSnapshotSelector(bad), SnapshotRefError, bad);
    try {
      parseSnapshotSelector(bad);
    } catch (e) {
      t.equal((e as SnapshotRefError).field, 'snapshot');
    }
  }
});

t.test('path after the first colon is percent-decoded once into bytes', async (t) => {
  const cases: Array<[string, Buffer, boolean]> = [
    ['latest', Buffer.from('/'), false],
    ['latest:', Buffer.from('/'), true],
    ['latest:/', Buffer.from('/'), true],
    ['abcd:/home/ann/doc.txt', Buffer.from('/home/ann/doc.txt'), true],
    ['abcd:home/ann', Buffer.from('/home/ann'), true],
    ['abcd:%2Fhome%2Fann', Buffer.from('/home/ann'), true],
    ['abcd:/a%FFb', Buffer.from([0x2f, 0x61, 0xff, 0x62]), true],
    ['abcd:/caf%C3%A9', Buffer.from('/café'), true],
    ['abcd:/café', Buffer.from('/café'), true],
    ['abcd:/a%2541', Buffer.from('/a%41'), true], // decoded once, not twice
    ['abcd:/x:y', Buffer.from('/x:y'), true], // only the first colon splits
  ];
  for (const [raw, path, hasPath] of cases) {
    const r = parseSnapshotRef(raw);
    t.same(r.path, path, raw);
    t.equal(r.hasPath, hasPath, raw);
  }
  t.same(parseSnapshotRef('latest:/x').snapshot, { kind: 'latest' });
});

t.test('bad escapes are errors on the path field', async (t) => {
  for (const bad of ['abcd:/a%', 'abcd:/a%4', 'abcd:/a%G1', 'abcd:%zz']) {
    t.throws(() => parseSnapshotRef(bad), { name: 'SnapshotRefError', field: 'path' }, bad);
  }
  t.throws(() => parseSnapshotRef('ab:/x'), { name: 'SnapshotRefError', field: 'snapshot' }, 'short prefix');
});

t.test('formatSnapshotRef round-trips any bytes', async (t) => {
  const bytes = Buffer.from([0x2f, 0x00, 0x25, 0x3a, 0x3f, 0x23, 0x20, 0xe9, 0xff, 0x2f, 0x61]);
  const ref = formatSnapshotRef('abcd', bytes);
  t.match(ref, /^abcd:\/%00%25%3A%3F%23%20%E9%FF\/a$/);
  t.same(parseSnapshotRef(ref).path, bytes);
  t.same(percentDecode(percentEncodePath(bytes)), bytes);
  t.equal(formatSnapshotRef('latest'), 'latest');
  t.equal(formatSnapshotRef('latest', '/home/a b'), 'latest:/home/a%20b');
});
