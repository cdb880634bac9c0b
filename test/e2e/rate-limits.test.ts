// Rate limits from cairnd's config against a real cairnd on TCP: reads per key, writes per
// key, auth failures per address, each answered 429 rate-limited with Retry-After (in
// seconds: 60 / the limit) and the error body; the Unix socket is never limited. Resets
// after the window are tested with an injected clock in test/daemon/api/rate-limits.test.ts.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { curlSock, startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { tcp, type Reply } from './access-fixture.js';

function limited(t: Test, r: Reply, retryAfter: number, what: string): void {
  t.equal(r.status, 429, `${what}: 429`);
  t.equal(r.headers['retry-after'], String(retryAfter), `${what}: Retry-After ${retryAfter}`);
  t.match(r.json, { error: { code: 'rate-limited', message: String } }, `${what}: the error body`);
}

t.test('each limit of the config answers 429 with Retry-After', async (t) => {
  const dir = tmpDir(t);
  const config = join(dir, 'cairnd.json');
  writeFileSync(config, JSON.stringify({ rate_limits: { auth_failures_per_min: 2, reads_per_min: 3, writes_per_min: 1 } }));
  const d = await startCairnd(t, { dir, args: ['--config', config] });
  const admin = d.token();
  const key = await curlSock(d, ['-XPOST', '-H', 'content-type: application/json', '-d', '{"name":"r","role":"reader"}', '/api/keys']);
  const reader = (key.json as { token: string }).token;

  for (let i = 0; i < 3; i++) t.equal((await tcp(d, '/api/info', { token: reader })).status, 200, `read ${i + 1}`);
  limited(t, await tcp(d, '/api/info', { token: reader }), 20, 'a 4th read');
  t.equal((await tcp(d, '/api/info', { token: admin })).status, 200, 'another key has its own budget');

  t.equal((await tcp(d, '/api/keys', { method: 'POST', token: admin, body: { name: 'w1', role: 'reader' } })).status, 200, 'write 1');
  limited(t, await tcp(d, '/api/keys', { method: 'POST', token: admin, body: { name: 'w2', role: 'reader' } }), 60, 'a 2nd write');

  for (let i = 0; i < 10; i++) t.equal((await curlSock(d, ['/api/info'])).status, 200, `socket read ${i + 1}`);

  for (let i = 0; i < 2; i++) t.equal((await tcp(d, '/api/info', { token: 'wrong' })).status, 401, `auth failure ${i + 1}`);
  limited(t, await tcp(d, '/api/info', { token: 'wrong' }), 30, 'a 3rd failure');
  limited(t, await tcp(d, '/api/info', { token: admin }), 30, 'then even a good token from that address');
  t.equal((await curlSock(d, ['/api/keys'])).status, 200, 'the socket still answers');
});
