// daemon/main.ts through bin/cairnd.cjs: flags, the ready line, READY=1/STOPPING=1 to
// systemd, a real socket and TCP port, SIGTERM → exit 0, usage errors → exit 2.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { curl } from '../../helpers/daemon.js';
import { tmpDir } from '../../helpers/tmp.js';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..');
const bin = join(root, 'bin', 'cairnd.cjs');
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg'), XDG_STATE_HOME: join(dir, 'st'), XDG_RUNTIME_DIR: '' };
  for (const k of ['NOTIFY_SOCKET', 'LISTEN_FDS', 'LISTEN_PID', 'STATE_DIRECTORY', 'RUNTIME_DIRECTORY', 'CONFIGURATION_DIRECTORY', 'CAIRN_LISTEN', 'CAIRN_SOCKET', 'CAIRN_STATE_DIR']) delete env[k];
  return env;
}

t.test('bad flags and bad config: one line on stderr, exit 2', async (t) => {
  const dir = tmpDir(t);
  const env = isolatedEnv(dir);
  const bogus = spawnSync(process.execPath, [bin, '--bogus'], { env, encoding: 'utf8' });
  t.equal(bogus.status, 2);
  t.match(bogus.stderr, /^cairnd: unknown option '--bogus'\n$/);
  const listen = spawnSync(process.execPath, [bin, '--state-dir', dir, '--listen', 'nowhere'], { env, encoding: 'utf8' });
  t.equal(listen.status, 2);
  t.match(listen.stderr, /^cairnd: listen address "nowhere" is not HOST:PORT or "none"\n$/);
  writeFileSync(join(dir, 'c.json'), '{"jobs": {"max_backup": 3}}');
  const config = spawnSync(process.execPath, [bin, '--config', join(dir, 'c.json')], { env, encoding: 'utf8' });
  t.equal(config.status, 2);
  t.match(config.stderr, /^cairnd: config file .*c\.json: unknown config key "jobs\.max_backup"\n$/);
});

t.test('cairnd starts, says ready (stdout and systemd), serves, and stops on SIGTERM', { skip: !hasPython && 'python3 missing' }, async (t) => {
  const dir = tmpDir(t);
  const notifyPath = join(dir, 'notify.sock');
  const receiver = spawn('python3', ['-u', '-c', [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    'print("bound")',
    'while True:',
    '    d = s.recv(4096).decode()',
    '    print(d)',
    '    if d == "STOPPING=1": break',
  ].join('\n'), notifyPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { receiver.kill(); });
  const receiverExit = once(receiver, 'exit');
  let notes = '';
  receiver.stdout.setEncoding('utf8');
  await new Promise<void>((r) => receiver.stdout.on('data', (d: string) => { notes += d; if (notes.includes('bound')) r(); }));

  const socketPath = join(dir, 'run', 'cairn.sock');
  const daemon = spawn(process.execPath, [bin, '--state-dir', join(dir, 'state'), '--socket', socketPath, '--listen', '127.0.0.1:0'], {
    env: { ...isolatedEnv(dir), NOTIFY_SOCKET: notifyPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => { if (daemon.exitCode === null) daemon.kill('SIGKILL'); });
  let stdout = '';
  let stderr = '';
  daemon.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  daemon.stdout.setEncoding('utf8');
  const ready = await new Promise<string>((resolve, reject) => {
    daemon.stdout.on('data', (d: string) => { stdout += d; if (stdout.includes('\n')) resolve(stdout); });
    daemon.once('exit', (code) => reject(new Error(`cairnd exited ${code}: ${stderr}`)));
  });
  const m = /^cairnd ready socket=(\S+) tcp=(127\.0\.0\.1:\d+)\n$/.exec(ready);
  t.ok(m, `ready line: ${ready}`);
  t.equal(m?.[1], socketPath);

  const info = await curl(['--unix-socket', socketPath, 'http://cairn/api/info']);
  t.equal(info.status, 200);
  const tcp = await curl([`http://${m?.[2]}/api/info`]);
  t.equal(tcp.status, 401, 'TCP wants the admin token');
  const token = readFileSync(join(dir, 'state', 'admin.token'), 'utf8').trim();
  const tcpOk = await curl(['-H', `Authorization: Bearer ${token}`, `http://${m?.[2]}/api/jobs`]);
  t.equal(tcpOk.status, 200);

  daemon.kill('SIGTERM');
  const [code] = await once(daemon, 'exit') as [number | null];
  t.equal(code, 0, 'SIGTERM → exit 0');
  await receiverExit;
  const lines = notes.trim().split('\n');
  t.equal(lines[1], 'READY=1');
  t.match(lines[2], /^STATUS=listening on /);
  t.equal(lines[lines.length - 1], 'STOPPING=1');
  t.equal(spawnSync('test', ['-e', socketPath]).status, 1, 'the socket file is gone');
});

t.test('socket activation: an inherited LISTEN_FDS socket is used instead of creating one', { skip: !hasPython && 'python3 missing' }, async (t) => {
  const dir = tmpDir(t);
  const activated = join(dir, 'activated.sock');
  const own = join(dir, 'own.sock');
  // What systemd does: bind and listen, put the socket at fd 3, set LISTEN_*, exec (same pid).
  const daemon = spawn('python3', ['-c', [
    'import os, socket, sys',
    's = socket.socket(socket.AF_UNIX)',
    's.bind(sys.argv[1]); s.listen(16)',
    'os.dup2(s.fileno(), 3); os.set_inheritable(3, True)',
    'os.environ["LISTEN_PID"] = str(os.getpid()); os.environ["LISTEN_FDS"] = "1"',
    'os.execv(sys.argv[2], sys.argv[2:])',
  ].join('\n'), activated, process.execPath, bin, '--state-dir', join(dir, 'state'), '--socket', own, '--listen', 'none'], {
    env: isolatedEnv(dir), stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => { if (daemon.exitCode === null) daemon.kill('SIGKILL'); });
  let stdout = '';
  let stderr = '';
  daemon.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  daemon.stdout.setEncoding('utf8');
  const ready = await new Promise<string>((resolve, reject) => {
    daemon.stdout.on('data', (d: string) => { stdout += d; if (stdout.includes('\n')) resolve(stdout); });
    daemon.once('exit', (code) => reject(new Error(`cairnd exited ${code}: ${stderr}`)));
  });
  t.equal(ready, `cairnd ready socket=${activated} tcp=none\n`);
  t.equal(spawnSync('test', ['-e', own]).status, 1, 'no socket of its own');
  const r = await curl(['--unix-socket', activated, 'http://cairn/api/info']);
  t.equal(r.status, 200, 'the peer is admin on the inherited socket too');
  daemon.kill('SIGTERM');
  const [code] = await once(daemon, 'exit') as [number | null];
  t.equal(code, 0);
});
