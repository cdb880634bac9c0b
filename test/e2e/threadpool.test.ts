// libuv's thread pool is sized before the ESM loader starts it (bin/cairnd.cjs sets
// UV_THREADPOOL_SIZE, DESIGN §6): with the default 4 threads, a few blocked FIFO opens would
// stall every file-system call of the daemon. libuv starts all its threads together on
// first use, so the live daemon's thread count shows the size that took effect; and six
// FIFO opens blocked in that pool must not stall a stat.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startCairnd, curlSock } from '../helpers/cairnd.js';
import { mkfifo } from '../../native/index.js';
import { tmpDir } from '../helpers/tmp.js';

t.test('cairnd runs with a large libuv pool', async (t) => {
  const d = await startCairnd(t);
  t.equal((await curlSock(d, ['/api/health'])).status, 200);
  const threads = readdirSync(`/proc/${d.proc.pid}/task`).length;
  t.ok(threads >= 32 + 4, `cairnd has ${threads} threads (libuv pool of at least 32)`);
});

t.test('six blocked FIFO opens do not stall a stat in a process started like cairnd', async (t) => {
  const dir = tmpDir(t);
  for (let i = 0; i < 6; i++) mkfifo(join(dir, `f${i}`), 0o600);
  // A child started through a CommonJS shim that sets the pool size first, as bin/cairnd.cjs does.
  const script = `
    process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || '48';
    import(${JSON.stringify(new URL('../../native/index.js', import.meta.url).href)}).then(async () => {
      const fs = require('node:fs/promises');
      for (let i = 0; i < 6; i++) fs.open(${JSON.stringify(dir)} + '/f' + i, 'r').catch(() => {});
      const t0 = Date.now();
      await fs.stat(${JSON.stringify(dir)});
      process.stdout.write(String(Date.now() - t0));
      // Unblock the opens (a writer arrives), or the pool's threads would keep us alive.
      const { openSync, constants } = require('node:fs');
      for (let i = 0; i < 6; i++) openSync(${JSON.stringify(dir)} + '/f' + i, constants.O_WRONLY | constants.O_NONBLOCK);
      process.exit(0);
    });`;
  const ms = Number(execFileSync('env', ['-u', 'NODE_OPTIONS', process.execPath, '-e', script], { timeout: 20_000, env: { ...process.env, UV_THREADPOOL_SIZE: '' } }).toString());
  t.ok(ms < 5000, `stat answered in ${ms} ms while six opens were blocked`);
});
