// tui/cli/commands/download.ts against a fake cairnd: a single-use download prepared for
// the paths of one snapshot, then streamed to -o FILE (format from its name) or stdout;
// never to a terminal; a cut transfer leaves no file.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { formatOfName } from '../../../../tui/cli/commands/download.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

t.test('formats from file names', async (t) => {
  t.equal(formatOfName('a.zip'), 'zip');
  t.equal(formatOfName('a.TGZ'), 'tar.gz');
  t.equal(formatOfName('a.tar.gz'), 'tar.gz');
  t.equal(formatOfName('a.tar.zst'), 'tar.zst');
  t.equal(formatOfName('a.tar'), 'tar');
  t.equal(formatOfName('a.bin'), null);
});

t.test('download to a file and to stdout', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/snapshot/vfs/downloader/abcd', (_q, res) => sendJson(res, 200, { id: 'f'.repeat(32), download_id: 'f'.repeat(32), download_url: '/x' }));
  fake.on(`GET /api/snapshot/vfs/downloader-sign-url/${'f'.repeat(32)}`, (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/zstd' });
    res.end('ARCHIVE BYTES');
  });
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'download', 'abcd:/home/ann', 'abcd:/etc', '-o', 'out.tar.zst'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { files: ['/home/ann', '/etc'], format: 'tar.zst', rebase: true, single_use: true });
  t.equal(fake.requests[1]!.url, `/api/snapshot/vfs/downloader-sign-url/${'f'.repeat(32)}?format=tar.zst`);
  t.equal(readFileSync(join(dir, 'out.tar.zst'), 'utf8'), 'ARCHIVE BYTES');
  t.match(io.stdout.text, /wrote 13 B \(tar\.zst\) to .*out\.tar\.zst/);

  const pipe = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'download', '--format', 'zip', '--full-paths', 'abcd'], pipe), 0, pipe.stderr.text);
  t.same(fake.requests[2]!.body, { files: [], format: 'zip', rebase: false, single_use: true });
  t.equal(pipe.stdout.text, 'ARCHIVE BYTES', 'the archive on stdout');
});

t.test('refusals', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/snapshot/vfs/downloader/abcd', (_q, res) => sendJson(res, 200, { id: 'e'.repeat(32), download_id: 'e'.repeat(32), download_url: '/x' }));
  fake.on(`GET /api/snapshot/vfs/downloader-sign-url/${'e'.repeat(32)}`, (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': '1000' });
    res.write('only part of it');
    setImmediate(() => res.destroy());
  });
  const tty = await memIo(dir, {}, true);
  t.equal(await runCli(['--socket', sock, 'download', 'abcd'], tty), 2, 'never to a terminal');
  t.match(tty.stderr.text, /refusing to write an archive to a terminal/);
  const mixed = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'download', 'abcd:/a', 'beef:/b', '-o', 'x.zip'], mixed), 2, 'two snapshots');
  const cut = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'download', 'abcd:/a', '-o', 'cut.zip'], cut), 1, 'a cut transfer fails');
  t.notOk(existsSync(join(dir, 'cut.zip')), 'and leaves no file');
  t.equal(fake.requests.length, 2, 'refusals before any request');
});
