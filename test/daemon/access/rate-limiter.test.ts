// daemon/access/rate-limiter.ts: N per minute with a burst of N, the wait until the next
// event, reset after a quiet minute, limits off at 0, and memory bounded by eviction —
// all with an injected clock.
import t from 'tap';
import { RateLimiter, retryAfterSeconds } from '../../../daemon/access/index.js';
import { FakeClock } from '../../helpers/daemon.js';

t.test('a burst of N, then one every 60/N s; a quiet minute restores the burst', async (t) => {
  const clock = new FakeClock();
  const l = new RateLimiter(clock);
  for (let i = 0; i < 5; i++) t.equal(l.take('a', 5), 0, `event ${i + 1} admitted`);
  t.equal(l.take('a', 5), 12_000, 'the sixth waits 12 s');
  t.equal(l.wait('a', 5), 12_000, 'a refused take is not counted');
  t.equal(l.take('b', 5), 0, 'buckets are separate');
  clock.advance(11_999);
  t.equal(l.take('a', 5), 1);
  clock.advance(1);
  t.equal(l.take('a', 5), 0, 'one more after 12 s');
  t.ok(l.take('a', 5) > 0, 'and only one');
  clock.advance(60_000);
  for (let i = 0; i < 5; i++) t.equal(l.take('a', 5), 0, `after a quiet minute, event ${i + 1}`);
  t.ok(l.take('a', 5) > 0);
});

t.test('600 per minute: 600 at once, then one every 100 ms', async (t) => {
  const clock = new FakeClock();
  const l = new RateLimiter(clock);
  let admitted = 0;
  for (let i = 0; i < 700; i++) if (l.take('r', 600) === 0) admitted++;
  t.equal(admitted, 600);
  t.equal(l.wait('r', 600), 100);
  clock.advance(1000);
  admitted = 0;
  for (let i = 0; i < 20; i++) if (l.take('r', 600) === 0) admitted++;
  t.equal(admitted, 10, 'ten more per second');
});

t.test('0 turns a limit off and keeps no state', async (t) => {
  const l = new RateLimiter(new FakeClock());
  let refused = 0;
  for (let i = 0; i < 10_000; i++) if (l.take('x', 0) !== 0) refused++;
  t.equal(refused, 0);
  t.equal(l.size, 0);
  t.equal(l.wait('x', 0), 0);
});

t.test('memory is bounded: full buckets are dropped, then the least recently used', async (t) => {
  const clock = new FakeClock();
  const l = new RateLimiter(clock, 100);
  for (let i = 0; i < 1000; i++) l.take(`addr-${i}`, 5);
  t.ok(l.size <= 100, `size ${l.size} ≤ 100`);
  clock.advance(60_000);
  l.take('late', 5);
  for (let i = 0; i < 100; i++) l.take(`more-${i}`, 5);
  t.ok(l.size <= 100);
  t.equal(l.wait('more-99', 5), 0, 'recent buckets are kept');
  for (let i = 0; i < 4; i++) l.take('more-99', 5);
  t.ok(l.wait('more-99', 5) > 0, 'and still counted');
});

t.test('Retry-After is whole seconds, at least 1', async (t) => {
  t.equal(retryAfterSeconds(1), 1);
  t.equal(retryAfterSeconds(1000), 1);
  t.equal(retryAfterSeconds(1001), 2);
  t.equal(retryAfterSeconds(12_000), 12);
});
