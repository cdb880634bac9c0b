// native/src/sd-notify.c: datagrams to a socket bound by a python3 child (node:dgram has
// no Unix sockets), on a path and in the abstract namespace.
import t from 'tap';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sdNotify } from '../../native/index.js';
import { tmpDir } from '../helpers/tmp.js';

const RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a = sys.argv[1]
s.bind('\\0' + a[1:] if a.startswith('@') else a)
s.settimeout(60)
print('ready', flush=True)
print(s.recv(65536).hex(), flush=True)
`;

/** Starts a receiver on addr; resolves once it is bound, with the datagram to come. */
async function receiver(t: { teardown(fn: () => void): void }, addr: string): Promise<{ datagram: Promise<Buffer> }> {
  const child = spawn('python3', ['-c', RECEIVER, addr], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { child.kill(); });
  const lines: string[] = [];
  let buf = '';
  let onLine: () => void = () => {};
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      onLine();
    }
  });
  const line = (n: number) => new Promise<string>((resolve, reject) => {
    const check = () => { if (lines.length > n) resolve(lines[n]!); };
    onLine = check;
    child.on('exit', (code) => { if (lines.length <= n) reject(new Error(`receiver exited ${code}`)); });
    check();
  });
  const ready = await line(0);
  if (ready !== 'ready') throw new Error(`receiver said ${ready}`);
  return { datagram: line(1).then((hex) => Buffer.from(hex, 'hex')) };
}

function withSocket(value: string | undefined, fn: () => void): void {
  const saved = process.env.NOTIFY_SOCKET;
  if (value === undefined) delete process.env.NOTIFY_SOCKET;
  else process.env.NOTIFY_SOCKET = value;
  try {
    fn();
  } finally {
    if (saved === undefined) delete process.env.NOTIFY_SOCKET;
    else process.env.NOTIFY_SOCKET = saved;
  }
}

t.test('false when NOTIFY_SOCKET is unset or empty', async (t) => {
  withSocket(undefined, () => t.equal(sdNotify('READY=1'), false));
  withSocket('', () => t.equal(sdNotify('READY=1'), false));
});

t.test('sends the state to a socket path', async (t) => {
  const path = join(tmpDir(t), 'notify.sock');
  const got = await receiver(t, path);
  withSocket(path, () => t.equal(sdNotify('READY=1\nSTATUS=reconciled 3 repositories'), true));
  t.equal((await got.datagram).toString(), 'READY=1\nSTATUS=reconciled 3 repositories');
});

t.test('sends the state to an abstract socket (@name)', async (t) => {
  const addr = '@cairn-test-' + randomBytes(8).toString('hex');
  const got = await receiver(t, addr);
  withSocket(addr, () => t.equal(sdNotify('STOPPING=1'), true));
  t.equal((await got.datagram).toString(), 'STOPPING=1');
});

t.test('a socket nobody listens on throws', async (t) => {
  const path = join(tmpDir(t), 'nobody.sock');
  withSocket(path, () => t.throws(() => sdNotify('READY=1'), { code: 'ENOENT', syscall: 'sendto', path }));
  withSocket('relative.sock', () => t.throws(() => sdNotify('READY=1'), { code: 'EAFNOSUPPORT' }));
});
