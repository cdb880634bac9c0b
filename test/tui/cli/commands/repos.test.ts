// tui/cli/commands/repos.ts in-process against a fake cairnd: the list (the default
// subcommand), add, rename, default, set-passphrase, forget and test.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCli } from '../../../../tui/cli/index.js';
import { memIo, sendError, sendJson, setup } from '../../fake-cairnd.js';

t.test('repos and its subcommands', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const entries = [{ name: 'main', location: 'fs:/srv/main', default: true }, { name: 'usb', location: 'fs:/media/usb', default: false }];
  fake.on('GET /api/repositories', (_q, res) => sendJson(res, 200, { total: 2, items: entries }));
  fake.on('POST /api/repositories', (q, res) => sendJson(res, 200, { name: 'new', location: (q.body as { location: string }).location, default: false }));
  fake.on('PUT /api/repositories/usb', (q, res) => {
    const b = q.body as { name?: string; default?: boolean; passphrase?: string };
    if (b.passphrase === 'wrong') return sendError(res, 422, 'unprocessable', 'wrong passphrase', { passphrase: {} });
    return sendJson(res, 200, { name: b.name ?? 'usb', location: 'fs:/media/usb', default: b.default === true });
  });
  fake.on('DELETE /api/repositories/usb', (_q, res) => sendJson(res, 200, entries[1]));
  fake.on('POST /api/repositories/usb/test', (_q, res) => sendJson(res, 200, { ok: false, latency_ms: 1.25, error: 'wrong passphrase' }));
  fake.on('POST /api/repositories/main/test', (_q, res) => sendJson(res, 200, { ok: true, latency_ms: 3.5 }));
  const run = async (...args: string[]) => {
    const io = await memIo(dir, { CAIRN_PASSPHRASE: 'from env' });
    const code = await runCli(['--socket', sock, ...args], io);
    return { code, out: io.stdout.text, err: io.stderr.text };
  };
  const last = () => fake.requests[fake.requests.length - 1]!;

  let r = await run('repos');
  t.equal(r.code, 0, r.err);
  t.equal(r.out, '   Name  Location\n*  main  fs:/srv/main\n   usb   fs:/media/usb\n');
  r = await run('repos', 'list', '--json');
  t.same(JSON.parse(r.out).items, entries);

  r = await run('repos', 'add', 'relative/dir', '--name', 'new', '--no-create');
  t.equal(r.code, 0, r.err);
  t.same(last().body, { location: join(dir, 'relative/dir'), passphrase: 'from env', create: false, name: 'new' });
  t.equal(r.out, `registered new (${join(dir, 'relative/dir')})\n`);

  r = await run('repos', 'rename', 'usb', 'offsite');
  t.same(last().body, { name: 'offsite' });
  t.equal(r.out, 'renamed to offsite (fs:/media/usb)\n');
  r = await run('repos', 'default', 'usb');
  t.same(last().body, { default: true });
  t.equal(r.out, 'the default is now usb (fs:/media/usb), the default\n');
  const pass = join(dir, 'pass');
  writeFileSync(pass, 'wrong\nignored\n');
  r = await run('repos', 'set-passphrase', 'usb', '--passphrase-file', pass);
  t.same(last().body, { passphrase: 'wrong' }, 'the first line of the file');
  t.equal(r.code, 1);
  t.equal(r.err, 'cairn: wrong passphrase\n');

  r = await run('repos', 'forget', 'usb');
  t.equal(r.code, 0);
  t.equal(last().method, 'DELETE');
  t.equal(r.out, 'forgot usb; its data stays at fs:/media/usb\n');
  r = await run('repos', 'test', 'usb');
  t.equal(r.code, 1, 'not ok: exit 1');
  t.equal(r.err, 'usb: wrong passphrase (1.3 ms)\n');
  r = await run('repos', 'test', 'main');
  t.equal(r.code, 0);
  t.equal(r.out, 'main: ok (3.5 ms)\n');
  r = await run('repos', 'rename', 'usb');
  t.equal(r.code, 2, 'a missing argument is a usage error');
});
