// daemon/systemd: LISTEN_FDS parsing, notify (a no-op without NOTIFY_SOCKET; real
// datagrams through the native addon with one), the watchdog period.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { listenFds, notify, watchdogIntervalMs } from '../../../daemon/systemd/index.js';
import { tmpDir } from '../../helpers/tmp.js';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

t.test('listenFds: only for this pid; names; the variables are consumed', async (t) => {
  const env: NodeJS.ProcessEnv = { LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'api:tcp' };
  t.same(listenFds(env, 42), [{ fd: 3, name: 'api' }, { fd: 4, name: 'tcp' }]);
  t.same(env, {}, 'removed so children do not inherit them');
  t.same(listenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42), [], 'another process\'s fds');
  t.same(listenFds({ LISTEN_FDS: '1' }, 42), [], 'no LISTEN_PID');
  t.same(listenFds({ LISTEN_PID: '42', LISTEN_FDS: 'x' }, 42), []);
  t.same(listenFds({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42), [{ fd: 3, name: null }]);
});

t.test('notify: a no-op without NOTIFY_SOCKET; failures are reported, not thrown', async (t) => {
  const sent: string[] = [];
  const sender = (s: string): boolean => { sent.push(s); return true; };
  t.equal(notify('READY=1', {}, sender), false);
  t.same(sent, []);
  t.equal(notify('READY=1', { NOTIFY_SOCKET: '/run/x' }, sender), true);
  t.same(sent, ['READY=1']);
  t.equal(notify('READY=1', { NOTIFY_SOCKET: '/run/x' }, () => { throw new Error('ENOENT'); }), false);
});

t.test('watchdog period', async (t) => {
  t.equal(watchdogIntervalMs({}), null);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '3000000' }, 7), 3000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '3000000', WATCHDOG_PID: '7' }, 7), 3000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '3000000', WATCHDOG_PID: '8' }, 7), null);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: 'soon' }, 7), null);
});

t.test('notify sends real datagrams to NOTIFY_SOCKET', { skip: !hasPython && 'python3 missing' }, async (t) => {
  const path = join(tmpDir(t), 'notify.sock');
  const receiver = spawn('python3', ['-u', '-c', [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    'print("bound")',
    'print(s.recv(4096).decode())',
  ].join('\n'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { receiver.kill(); });
  let out = '';
  receiver.stdout.setEncoding('utf8');
  const bound = new Promise<void>((r) => receiver.stdout.on('data', (d: string) => { out += d; if (out.includes('bound')) r(); }));
  await bound;
  const saved = process.env.NOTIFY_SOCKET;
  process.env.NOTIFY_SOCKET = path;
  try {
    t.equal(notify('STATUS=testing'), true);
  } finally {
    if (saved === undefined) delete process.env.NOTIFY_SOCKET;
    else process.env.NOTIFY_SOCKET = saved;
  }
  await once(receiver, 'exit');
  t.same(out.trim().split('\n'), ['bound', 'STATUS=testing']);
});
