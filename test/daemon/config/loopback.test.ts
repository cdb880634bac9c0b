// daemon/config/loopback.ts and the `no_auth` key: `--no-auth` is accepted only with a
// loopback listen address (or no TCP at all).
import t from 'tap';
import { hostOf, isLoopbackHost, loadConfig } from '../../../daemon/config/index.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('isLoopbackHost and hostOf', async (t) => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) t.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.1', '10.0.0.1', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', '']) t.notOk(isLoopbackHost(h), h);
  t.equal(hostOf('127.0.0.1:9595'), '127.0.0.1');
  t.equal(hostOf('[::1]:9595'), '::1');
});

t.test('no_auth: default off; on with loopback or no TCP; refused otherwise', async (t) => {
  const dir = tmpDir(t);
  const env = { XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, HOME: dir };
  t.equal(loadConfig({ env }).no_auth, false);
  t.equal(loadConfig({ env, flags: { no_auth: true } }).no_auth, true, 'the default 127.0.0.1');
  t.equal(loadConfig({ env, flags: { no_auth: true, listen: '[::1]:0' } }).no_auth, true);
  t.equal(loadConfig({ env, flags: { no_auth: true, listen: 'none' } }).no_auth, true, 'no TCP at all');
  t.throws(() => loadConfig({ env, flags: { no_auth: true, listen: '0.0.0.0:9595' } }),
    { code: 'invalid_params', message: /--no-auth refuses the non-loopback listen address 0\.0\.0\.0/, params: { no_auth: {} } });
  t.throws(() => loadConfig({ env, flags: { no_auth: true, listen: '[::]:9595' } }), { code: 'invalid_params' });
});
