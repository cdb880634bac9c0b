// The LRU of read handles: bounded, reused, and never closing a handle under a running read.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { HandleCache } from '../../../daemon/storage/handle-cache.js';
import { tmpDir } from '../../helpers/tmp.js';

async function read(fh: FileHandle): Promise<string> {
  const b = Buffer.alloc(16);
  const { bytesRead } = await fh.read(b, 0, 16, 0);
  return b.subarray(0, bytesRead).toString();
}

t.test('handles are reused and the cache stays bounded', async (t) => {
  const dir = tmpDir(t);
  const cache = new HandleCache(4);
  t.teardown(() => cache.clear());
  for (let i = 0; i < 10; i++) writeFileSync(join(dir, `f${i}`), `file ${i}`);
  const first = await cache.use('f0', join(dir, 'f0'), async (fh) => fh);
  const again = await cache.use('f0', join(dir, 'f0'), async (fh) => fh);
  t.equal(again, first, 'same handle for the same name');
  for (let i = 0; i < 10; i++) t.equal(await cache.use(`f${i}`, join(dir, `f${i}`), read), `file ${i}`);
  t.equal(cache.size, 4);
  const reopened = await cache.use('f0', join(dir, 'f0'), async (fh) => fh);
  t.not(reopened, first, 'an evicted name is opened again');
  await t.rejects(first.stat(), 'the evicted handle was closed');
  await t.rejects(cache.use('nope', join(dir, 'nope'), read), { code: 'ENOENT' });
});

t.test('evict during a read closes the handle only after the read', async (t) => {
  const dir = tmpDir(t);
  writeFileSync(join(dir, 'a'), 'contents');
  const cache = new HandleCache(4);
  t.teardown(() => cache.clear());
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: (fh: FileHandle) => void;
  const inside = new Promise<FileHandle>((r) => (entered = r));
  const reading = cache.use('a', join(dir, 'a'), async (fh) => {
    entered(fh);
    await gate;
    return read(fh);
  });
  const handle = await inside;
  await cache.evict('a');
  t.equal(cache.size, 0);
  release();
  t.equal(await reading, 'contents', 'the running read finished on its handle');
  await t.rejects(handle.stat(), 'then the handle was closed');
});

t.test('an open racing with evict is not cached', async (t) => {
  const dir = tmpDir(t);
  writeFileSync(join(dir, 'a'), 'old');
  const cache = new HandleCache(4);
  t.teardown(() => cache.clear());
  const p = cache.use('a', join(dir, 'a'), read); // open() in flight
  await cache.evict('a');
  t.equal(await p, 'old');
  t.equal(cache.size, 0, 'the raced handle was used once and dropped');
  t.equal(await cache.use('a', join(dir, 'a'), read), 'old');
  t.equal(cache.size, 1);
});
