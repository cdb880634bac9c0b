// tui/cli/commands/cat.ts in-process against a fake cairnd: the reference and query sent
// (colours by default only on a terminal), the bytes printed, a missing path refused.
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { memIo, sendError, setup } from '../../fake-cairnd.js';

t.test('cat prints the file, colours only on a terminal or when asked', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('GET /api/files/cat/abcd:/etc/my%20file.gz', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('h\u00e9llo\n');
  });
  const plain = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'cat', 'abcd:/etc/my file.gz'], plain), 0, plain.stderr.text);
  t.equal(plain.stdout.text, 'h\u00e9llo\n');
  t.equal(fake.requests[0]!.url, '/api/files/cat/abcd:/etc/my%20file.gz', 'no highlight when stdout is not a terminal');
  const tty = await memIo(dir, {}, true);
  t.equal(await runCli(['--socket', sock, 'cat', '--decompress', 'abcd:/etc/my file.gz'], tty), 0);
  t.equal(fake.requests[1]!.url, '/api/files/cat/abcd:/etc/my%20file.gz?decompress=true&highlight=true', 'a terminal: colours');
  const off = await memIo(dir, {}, true);
  t.equal(await runCli(['--socket', sock, 'cat', '--no-highlight', 'abcd:/etc/my file.gz'], off), 0);
  t.equal(fake.requests[2]!.url, '/api/files/cat/abcd:/etc/my%20file.gz', '--no-highlight');
});

t.test('cat refusals', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('GET /api/files/cat/abcd:/dir', (_q, res) => sendError(res, 400, 'invalid_params', 'the path is a directory, not a regular file'));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'cat', 'abcd'], io), 2, 'no path: a usage error');
  const dirIo = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'cat', 'abcd:/dir'], dirIo), 1);
  t.match(dirIo.stderr.text, /cairn: the path is a directory/);
});
