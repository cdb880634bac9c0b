// DownloadStore: 128-bit hex ids, valid for the TTL on the injected clock, single-use ids
// consumed once (a peek never consumes), and a bounded count (the oldest go first).
import t from 'tap';
import { DownloadStore, type DownloadTicket } from '../../../../daemon/api/files/download-store.js';

const ticket = (o: Partial<DownloadTicket> = {}): DownloadTicket => ({
  repository: 'repo', snapshot: 'ab'.repeat(32), root: Buffer.alloc(32), paths: [], rebase: true, format: 'zip',
  name: null, singleUse: false, ...o,
});

t.test('download ids', async (t) => {
  let now = 1_000_000;
  const s = new DownloadStore({ now: () => now, ttlMs: 3_600_000, max: 3 });
  const a = s.add(ticket());
  t.match(a.id, /^[0-9a-f]{32}$/, '128 random bits, hex');
  t.equal(a.expiresAt, now + 3_600_000);
  t.ok(s.take(a.id), 'valid');
  t.ok(s.take(a.id), 'and again: not single-use');
  now += 3_600_000 - 1;
  t.ok(s.take(a.id), 'just before the hour');
  now += 1;
  t.equal(s.take(a.id), null, 'expired after the hour');
  t.equal(s.take('nope'), null, 'unknown');

  const once = s.add(ticket({ singleUse: true }));
  t.ok(s.take(once.id, true), 'a peek');
  t.ok(s.take(once.id, true), 'does not consume');
  t.ok(s.take(once.id), 'the one use');
  t.equal(s.take(once.id), null, 'then gone');

  const ids = [s.add(ticket()).id, s.add(ticket()).id, s.add(ticket()).id, s.add(ticket()).id];
  t.equal(s.size, 3, 'bounded');
  t.equal(s.take(ids[0]!), null, 'the oldest dropped');
  t.ok(s.take(ids[3]!), 'the newest kept');
  now += 3_600_000;
  s.add(ticket());
  t.equal(s.size, 1, 'expired ones swept when adding');
});
