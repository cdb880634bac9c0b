// tui/cli/commands/digest.ts: the algorithm named loosely, the answer as sha256sum prints it
// or the API's JSON.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { algorithmOf } from '../../../../tui/cli/commands/digest.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

t.test('algorithm names', async (t) => {
  t.equal(algorithmOf('sha256'), 'SHA256');
  t.equal(algorithmOf('SHA-1'), 'SHA1');
  t.equal(algorithmOf('md5'), 'MD5');
  t.equal(algorithmOf('blake2b-512'), 'BLAKE2B');
  t.throws(() => algorithmOf('crc32'), { name: 'UsageError' });
});

t.test('digest prints DIGEST  PATH, or JSON', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const answer = { path: '/etc/hosts', algorithm: 'MD5', digest: 'ab'.repeat(16), size: 10 };
  fake.on('GET /api/files/digest/latest:/etc/hosts', (_q, res) => sendJson(res, 200, answer));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'digest', '--algorithm', 'md5', 'latest:/etc/hosts'], io), 0, io.stderr.text);
  t.equal(fake.requests[0]!.url, '/api/files/digest/latest:/etc/hosts?algorithm=MD5');
  t.equal(io.stdout.text, `${'ab'.repeat(16)}  /etc/hosts\n`);
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, '--json', 'digest', 'latest:/etc/hosts'], json), 0);
  t.same(JSON.parse(json.stdout.text), answer);
  t.equal(fake.requests[1]!.url, '/api/files/digest/latest:/etc/hosts?algorithm=SHA256', 'SHA256 by default');
});
