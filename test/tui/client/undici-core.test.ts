// tui/client/undici-core.ts: the parts of undici loaded from their own files are the very
// objects undici's index exports (so an upgrade that moves them fails here, not in use).
import t from 'tap';
import * as undici from 'undici';
import { Agent, request, RequestAbortedError } from '../../../tui/client/undici-core.js';

t.test('the same Agent, request and RequestAbortedError as the index', async (t) => {
  t.equal(Agent, undici.Agent);
  t.equal(request, undici.Dispatcher.prototype.request);
  t.equal(RequestAbortedError, undici.errors.RequestAbortedError);
});

t.test('request called with an Agent as this reaches a server', async (t) => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const agent = new Agent();
  t.teardown(() => agent.close());
  const res = await request.call(agent, { origin: `http://127.0.0.1:${address.port}`, path: '/x?y=1', method: 'GET' });
  t.equal(res.statusCode, 200);
  t.equal(await res.body.text(), 'GET /x?y=1');
});
