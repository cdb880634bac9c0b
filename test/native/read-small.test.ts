// native/src/read-small.c: whole small files read on libuv's thread pool, with their keyed
// ids (checked against node:crypto's HMAC-SHA256), stamps, and every way a file can fail.
import t from 'tap';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mkfifo, readSmallFiles, SMALL_GREW, SMALL_NOROOM, SMALL_NOTREG, SMALL_STABLE,
} from '../../native/index.js';
import { varTmpDir } from './var-tmp.js';

const isRoot = process.getuid?.() === 0;
const key = randomBytes(32);
const hmac = (b: Uint8Array): Buffer => createHmac('sha256', key).update(b).digest();

t.test('contents back to back, ids, stamps, in order', async (t) => {
  const dir = varTmpDir(t);
  const contents = [Buffer.alloc(0), randomBytes(1), randomBytes(4095), randomBytes(4096), randomBytes(200_000), Buffer.from('héllo')];
  // a name in invalid UTF-8, and a hard link read twice
  const names = contents.map((_, i) => Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x66, 0xff, 0x30 + i])]));
  contents.forEach((c, i) => writeFileSync(names[i]!, c));
  linkSync(names[2]!, join(dir, 'link'));
  const paths = [...names, Buffer.from(join(dir, 'link'))];
  const out = new Uint8Array(1 << 20);
  const r = await readSmallFiles(paths, 256 << 10, key, out);
  const expect = [...contents, contents[2]!];
  t.equal(r.used, expect.reduce((n, c) => n + c.length, 0));
  let off = 0;
  expect.forEach((c, i) => {
    t.equal(r.errnos[i], 0);
    t.equal(r.flags[i], SMALL_STABLE, `file ${i} stable`);
    t.equal(r.lens[i], c.length);
    t.same(Buffer.from(out.subarray(off, off + c.length)), c, `file ${i} contents`);
    off += c.length;
    t.same(Buffer.from(r.ids.subarray(i * 32, i * 32 + 32)), hmac(c), `file ${i} id`);
    const st = statSync(paths[i]!, { bigint: true });
    t.same([r.stamps[i * 4], r.stamps[i * 4 + 1], r.stamps[i * 4 + 2], r.stamps[i * 4 + 3]], [st.size, st.mtimeNs, st.ctimeNs, st.ino]);
  });
});

t.test('what is not read, and why', async (t) => {
  const dir = varTmpDir(t);
  writeFileSync(join(dir, 'big'), Buffer.alloc(1000));
  writeFileSync(join(dir, 'small'), Buffer.alloc(10, 1));
  writeFileSync(join(dir, 'fits'), Buffer.alloc(90, 2));
  writeFileSync(join(dir, 'nofit'), Buffer.alloc(20, 3));
  symlinkSync(join(dir, 'small'), join(dir, 'sym'));
  mkdirSync(join(dir, 'dir'));
  mkfifo(join(dir, 'fifo'), 0o600);
  writeFileSync(join(dir, 'locked'), 'secret');
  chmodSync(join(dir, 'locked'), 0);
  const names = ['big', 'small', 'missing', 'sym', 'dir', 'fifo', 'fits', 'nofit', 'locked'];
  const out = new Uint8Array(100);
  // a fifo with no writer must not hang the read
  const r = await readSmallFiles(names.map((n) => Buffer.from(join(dir, n))), 1000, key, out);
  const at = (n: string): number => names.indexOf(n);
  t.equal(r.flags[at('big')], SMALL_GREW, 'at the limit: grew');
  t.equal(r.flags[at('small')], SMALL_STABLE);
  t.equal(r.errnos[at('missing')], 2, 'ENOENT');
  t.equal(r.errnos[at('sym')], 40, 'ELOOP: a symlink is never followed');
  t.equal(r.flags[at('dir')], SMALL_NOTREG);
  t.equal(r.flags[at('fifo')], SMALL_NOTREG);
  t.equal(r.flags[at('fits')], SMALL_STABLE, 'fills the buffer exactly');
  t.equal(r.flags[at('nofit')], SMALL_NOROOM, 'no room left');
  if (isRoot) t.equal(r.errnos[at('locked')], 0, 'root reads a 000 file');
  else t.equal(r.errnos[at('locked')], 13, 'EACCES');
  t.equal(r.used, 100, 'small and fits');
  t.same(Buffer.from(out.subarray(0, 10)), Buffer.alloc(10, 1));
  t.same(Buffer.from(out.subarray(10, 100)), Buffer.alloc(90, 2));
  for (const n of ['big', 'missing', 'sym', 'dir', 'fifo', 'nofit']) t.equal(r.lens[at(n)], 0, `${n}: nothing read`);
});

t.test('many batches at once, and bad arguments', async (t) => {
  const dir = varTmpDir(t);
  const files = Array.from({ length: 40 }, (_, i) => {
    const p = join(dir, `f${i}`);
    const c = randomBytes(i * 100);
    writeFileSync(p, c);
    return { p: Buffer.from(p), c };
  });
  const batches = await Promise.all(Array.from({ length: 20 }, async (_, b) => {
    const mine = files.slice(b, b + 20);
    const out = new Uint8Array(1 << 20);
    const r = await readSmallFiles(mine.map((f) => f.p), 1 << 20, key, out);
    return mine.every((f, i) => Buffer.from(r.ids.subarray(i * 32, i * 32 + 32)).equals(hmac(f.c)));
  }));
  t.same(batches, new Array(20).fill(true));
  await t.rejects(readSmallFiles([Buffer.from('/x')], 10, new Uint8Array(16), new Uint8Array(10)), { name: 'TypeError' }, 'a key of 16 bytes');
  await t.rejects(readSmallFiles([Buffer.from('/x')], -1, key, new Uint8Array(10)), { name: 'RangeError' });
  const r = await readSmallFiles([Buffer.from('a\0b'), Buffer.alloc(0)], 10, key, new Uint8Array(10));
  t.same([...r.errnos], [22, 22], 'EINVAL for a path with NUL or an empty one');
  const none = await readSmallFiles([], 10, key, new Uint8Array(0));
  t.equal(none.used, 0);
});
