// tui/client/address.ts: where the client looks for cairnd and which token it sends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../helpers/tmp.js';
import { AddressError, describeEndpoint, resolveEndpoint, resolveToken, type Endpoint } from '../../../tui/client/index.js';

t.test('flags win over variables; relative sockets are taken from cwd', async (t) => {
  const env = { HOME: '/h', CAIRN_SOCKET: '/env.sock', CAIRN_URL: 'http://10.0.0.1:1' };
  t.same(resolveEndpoint({ socket: 'rel.sock' }, env, '/w'), { kind: 'unix', socketPath: '/w/rel.sock' });
  const tcp = resolveEndpoint({ url: 'http://127.0.0.1:9595' }, env, '/w');
  t.equal(tcp.kind, 'tcp');
  t.equal(describeEndpoint(tcp), 'http://127.0.0.1:9595');
  t.same(resolveEndpoint({}, env, '/w'), { kind: 'unix', socketPath: '/env.sock' });
  t.equal(describeEndpoint(resolveEndpoint({}, { HOME: '/h', CAIRN_URL: 'https://b.example/cairn/' }, '/w')), 'https://b.example/cairn');
  t.throws(() => resolveEndpoint({ socket: 'a', url: 'http://x' }, env), AddressError);
  t.throws(() => resolveEndpoint({ url: 'nope' }, env), AddressError);
  t.throws(() => resolveEndpoint({}, { CAIRN_URL: 'unix:/x' }), AddressError);
});

t.test('without a name, the first existing socket of the candidates', async (t) => {
  const dir = tmpDir(t);
  const runtime = join(dir, 'run');
  const state = join(dir, 'state');
  mkdirSync(runtime);
  mkdirSync(join(state, 'cairn'), { recursive: true });
  const env = { HOME: dir, XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: state };
  const none = resolveEndpoint({}, env);
  t.same(none, { kind: 'unix', socketPath: join(runtime, 'cairn.sock'),
    tried: [join(runtime, 'cairn.sock'), join(state, 'cairn', 'cairn.sock'), '/run/cairn/cairn.sock'] });

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(state, 'cairn', 'cairn.sock'), resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  writeFileSync(join(runtime, 'cairn.sock'), 'not a socket');
  t.same(resolveEndpoint({}, env), { kind: 'unix', socketPath: join(state, 'cairn', 'cairn.sock') });
});

t.test('tokens: flag, CAIRN_TOKEN, then files (TCP only), the first readable non-empty', async (t) => {
  const dir = tmpDir(t);
  const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state') };
  const tcp: Endpoint = { kind: 'tcp', url: new URL('http://127.0.0.1:9595') };
  const unix: Endpoint = { kind: 'unix', socketPath: '/s' };
  t.equal(resolveToken(tcp, 'flag', { ...env, CAIRN_TOKEN: 'envtok' }), 'flag');
  t.equal(resolveToken(tcp, undefined, { ...env, CAIRN_TOKEN: 'envtok' }), 'envtok');
  t.equal(resolveToken(unix, undefined, { ...env, CAIRN_TOKEN: 'envtok' }), 'envtok');
  mkdirSync(join(dir, 'state', 'cairn'), { recursive: true });
  writeFileSync(join(dir, 'state', 'cairn', 'admin.token'), '  \n');
  const fromSystem = resolveToken(tcp, undefined, env);
  t.not(fromSystem, '', 'an empty file is skipped');
  writeFileSync(join(dir, 'state', 'cairn', 'admin.token'), 'abc123\n');
  t.equal(resolveToken(tcp, undefined, env), 'abc123');
  t.equal(resolveToken(unix, undefined, env), null, 'files are for TCP only');
});
