// The repository lock: flock(LOCK_EX|LOCK_NB) on `<root>/lock`. Another process holding it
// makes lock() a 'conflict'; the kernel drops it when that process dies (even by SIGKILL).
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openLocalStorage } from '../../../daemon/storage/index.js';
import { tmpDir } from '../../helpers/tmp.js';

const storageUrl = new URL('../../../daemon/storage/index.js', import.meta.url).href;

/** A child that takes the lock, prints "locked", and holds it until killed. */
async function holder(dir: string): Promise<ChildProcess> {
  const code = `import { openLocalStorage } from ${JSON.stringify(storageUrl)};
const s = await openLocalStorage(${JSON.stringify(dir)});
await s.lock();
process.stdout.write('locked\\n');
setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => out.includes('locked\n') && resolve());
    child.on('exit', (c) => reject(new Error(`lock holder exited early (${String(c)})`)));
  });
  return child;
}

t.test('another process holding the lock means conflict, until it dies', async (t) => {
  const dir = tmpDir(t);
  const child = await holder(dir);
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const s = await openLocalStorage(dir);
  t.teardown(() => s.close());
  await t.rejects(s.lock(), { code: 'conflict', message: 'repository is locked by another process', params: { location: `fs:${dir}` } });
  child.kill('SIGKILL');
  await once(child, 'exit');
  const lock = await s.lock();
  await lock.release();
});

t.test('two locks in one process conflict; release frees it', async (t) => {
  const dir = tmpDir(t);
  const s = await openLocalStorage(dir);
  t.teardown(() => s.close());
  const first = await s.lock();
  await t.rejects(s.lock(), { code: 'conflict' });
  const other = await openLocalStorage(dir);
  await t.rejects(other.lock(), { code: 'conflict' }, 'a second storage object too');
  await first.release();
  await first.release(); // twice is fine
  const second = await other.lock();
  await t.rejects(s.lock(), { code: 'conflict' });
  await second.release();
  await other.close();
});
