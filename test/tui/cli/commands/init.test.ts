// tui/cli/commands/init.ts and repos.ts in-process against a fake cairnd: where the
// passphrase comes from, the body sent, the registry listing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { absoluteLocation, runCli } from '../../../../tui/cli/index.js';
import { memIo, sendJson, setup } from '../../fake-cairnd.js';

const CREATED = { repository_id: 'r'.repeat(64), location: '/x', name: 'backups' };

t.test('init: passphrase from the file\'s first line; name, default; a relative location made absolute', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/repository/create', (_q, res) => sendJson(res, 200, CREATED));
  writeFileSync(join(dir, 'pass'), 'correct horse\nsecond line\n');
  const io = await memIo(dir, { CAIRN_PASSPHRASE: 'from-env' });
  t.equal(await runCli(['--socket', sock, 'init', 'repo', '--passphrase-file', 'pass', '--name', 'backups', '--default'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { location: join(dir, 'repo'), passphrase: 'correct horse', name: 'backups', default: true });
  t.equal(io.stdout.text, `created repository backups (${'r'.repeat(64)}) at /x\n`);
});

t.test('init: CAIRN_PASSPHRASE next; --json prints the API answer', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/repository/create', (_q, res) => sendJson(res, 200, CREATED));
  const io = await memIo(dir, { CAIRN_PASSPHRASE: 'from-env' });
  t.equal(await runCli(['--socket', sock, '--json', 'init', 'fs:/srv/repo'], io), 0, io.stderr.text);
  t.same(fake.requests[0]!.body, { location: 'fs:/srv/repo', passphrase: 'from-env' });
  t.same(JSON.parse(io.stdout.text), CREATED);
});

t.test('init: no passphrase and no terminal is one line, and nothing is sent', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'init', '/srv/repo'], io), 1);
  t.equal(io.stderr.text, 'cairn: no passphrase: use --passphrase-file FILE or CAIRN_PASSPHRASE (not asking: no terminal)\n');
  const empty = await memIo(dir);
  writeFileSync(join(dir, 'empty'), '\n');
  t.equal(await runCli(['--socket', sock, 'init', '/srv/repo', '--passphrase-file', 'empty'], empty), 1);
  t.match(empty.stderr.text, /^cairn: passphrase file .*empty is empty\n$/);
  t.equal(fake.requests.length, 0);
});

t.test('init: asks twice on a terminal, without echo', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  fake.on('POST /api/repository/create', (_q, res) => sendJson(res, 200, CREATED));
  const io = await memIo(dir, {}, true);
  const raw: boolean[] = [];
  Object.assign(io.stdin, { isTTY: true, setRawMode: (m: boolean) => { raw.push(m); } });
  // Each prompt starts listening after it is written: answer when it appears.
  let answered = 0;
  const write = io.stderr.write.bind(io.stderr);
  io.stderr.write = (s: string) => {
    const r = write(s);
    if (/passphrase: $/.test(s)) setImmediate(() => io.stdin.write(answered++ === 0 ? 's3cret\u007ft\r' : 's3cret\r'));
    return r;
  };
  t.equal(await runCli(['--socket', sock, 'init', '/srv/repo'], io), 0, io.stderr.text);
  t.equal((fake.requests[0]!.body as { passphrase: string }).passphrase, 's3cret');
  t.notMatch(io.stderr.text, /s3cret/);
  t.same(raw, [true, false, true, false]);
});

t.test('repos lists the registry, the default marked', async (t) => {
  const { dir, sock, fake } = await setup(t, tmpDir);
  const list = { total: 2, items: [{ name: 'main', location: '/srv/a', default: true }, { name: 'nas', location: '/mnt/b', default: false }] };
  fake.on('GET /api/repositories', (_q, res) => sendJson(res, 200, list));
  const io = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'repos'], io), 0, io.stderr.text);
  t.equal(io.stdout.text, '   Name  Location\n*  main  /srv/a\n   nas   /mnt/b\n');
  const json = await memIo(dir);
  t.equal(await runCli(['--socket', sock, 'repos', '--json'], json), 0);
  t.same(JSON.parse(json.stdout.text), list);
});

t.test('absoluteLocation', async (t) => {
  t.equal(absoluteLocation('repo', '/w'), '/w/repo');
  t.equal(absoluteLocation('/abs', '/w'), '/abs');
  t.equal(absoluteLocation('fs:rel', '/w'), 'fs:/w/rel');
  t.equal(absoluteLocation('fs:/abs', '/w'), 'fs:/abs');
  t.equal(absoluteLocation('s3:bucket/x', '/w'), 's3:bucket/x');
});
