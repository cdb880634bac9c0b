// native/src/peercred.c over a real Unix socket.
import t from 'tap';
import { createServer, connect, type Socket } from 'node:net';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { peerCred } from '../../native/index.js';
import { tmpDir } from '../helpers/tmp.js';

function fdOf(socket: Socket): number {
  return (socket as unknown as { _handle: { fd: number } })._handle.fd;
}

t.test('peerCred of an accepted Unix connection is this process', async (t) => {
  const path = join(tmpDir(t), 's.sock');
  const creds = new Promise<{ pid: number; uid: number; gid: number }>((resolve, reject) => {
    const server = createServer((socket) => {
      try {
        resolve(peerCred(fdOf(socket)));
      } catch (e) {
        reject(e);
      } finally {
        socket.destroy();
        server.close();
      }
    });
    server.listen(path, () => {
      const client = connect(path);
      client.on('error', () => {});
      client.on('close', () => client.destroy());
    });
  });
  const c = await creds;
  t.equal(c.uid, process.getuid!());
  t.equal(c.gid, process.getgid!());
  t.equal(c.pid, process.pid);
});

t.test('peerCred of a non-socket fd throws ENOTSOCK', async (t) => {
  const fd = openSync('/dev/null', 'r');
  t.teardown(() => closeSync(fd));
  t.throws(() => peerCred(fd), { code: 'ENOTSOCK', syscall: 'getsockopt' });
});
