// The archive walker (restore/archive.ts) at engine level: a tar holds every entry in
// path order with its mode, owner, nanosecond mtime (pax), long and non-UTF-8 names,
// symlink targets and fifos; a zip leaves fifos out and says so; destroying the output or
// aborting stops the walk and its reads; a missing path ends the stream with an error.
import t from 'tap';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { mkfifo, utimensat } from '../../../native/index.js';
import { backup } from '../../../daemon/backup/index.js';
import type { Repository } from '../../../daemon/repository/index.js';
import { archiveStream, type ArchiveRepo } from '../../../daemon/restore/index.js';
import { lookupPath, walkTree } from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';
import { prng } from '../../helpers/tree.js';

const MiB = 1 << 20;

async function bytesOf(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of r) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

interface TarEntry { header: Header & { pax?: Record<string, string> | null }; body: Buffer }

async function untar(bytes: Buffer): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const x = extract();
  const done = (async () => {
    for await (const e of x) out.push({ header: e.header as TarEntry['header'], body: await bytesOf(e as unknown as Readable) });
  })();
  x.end(bytes);
  await done;
  return out;
}

/** readUnits counted. */
function counting(repo: Repository): { r: ArchiveRepo; calls: () => number } {
  let calls = 0;
  const r: ArchiveRepo = {
    index: repo.index, hmac: (b) => repo.hmac(b), gear: repo.gear, chunkerParams: repo.chunkerParams,
    readChunk: (id) => repo.readChunk(id),
    readUnits: (...args) => {
      calls++;
      return repo.readUnits(...args);
    },
  };
  return { r, calls: () => calls };
}

t.test('archives of a snapshot', async (t) => {
  const { repo } = await makeTestRepo(t);
  const src = join(tmpDir(t), 'src');
  mkdirSync(join(src, 'dir', 'inner'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'alpha\n');
  utimensat(join(src, 'a.txt'), [1_700_000_000n, 1], [1_600_000_000n, 123_456_789], true);
  writeFileSync(join(src, 'dir', 'inner', `${'n'.repeat(150)}`), 'long name');
  writeFileSync(Buffer.concat([Buffer.from(join(src, 'raw-')), Buffer.from([0xff])]), 'raw byte name');
  writeFileSync(join(src, 'big.bin'), prng(3, 12 * MiB));
  symlinkSync('a.txt', join(src, 'to-a'));
  mkfifo(join(src, 'pipe'), 0o640);
  mkdirSync(join(src, 'small'));
  for (let i = 0; i < 60; i++) writeFileSync(join(src, 'small', `s${String(i).padStart(2, '0')}`), prng(1000 + i, 3000));
  const res = await backup(repo, { sources: [Buffer.from(src)] });
  t.same(res.errors, []);
  const root = res.record.root;

  t.test('tar: every entry, in path order, with its metadata', async (t) => {
    const a = archiveStream(repo, root, { paths: [Buffer.from(src)], rebase: true, format: 'tar' });
    const entries = await untar(await bytesOf(a.output));
    await a.done;
    const names = entries.map((e) => e.header.name);
    t.same(names, ['a.txt', 'big.bin', 'dir/', 'dir/inner/', `dir/inner/${'n'.repeat(150)}`, 'pipe', 'raw-\ufffd', 'small/',
      ...Array.from({ length: 60 }, (_, i) => `small/s${String(i).padStart(2, '0')}`), 'to-a']
      .sort((x, y) => Buffer.compare(Buffer.from(x.replace(/\/$/, '')), Buffer.from(y.replace(/\/$/, '')))), 'pre-order, name-byte order');
    const by = new Map(entries.map((e) => [e.header.name, e]));
    const file = by.get('a.txt')!;
    t.equal(file.body.toString(), 'alpha\n');
    t.equal(file.header.pax?.mtime, '1600000000.123456789', 'the mtime in ns, in a pax record');
    t.equal(file.header.mode! & 0o7777, 0o644);
    t.equal(file.header.uid, process.getuid!());
    t.ok(by.get('big.bin')!.body.equals(prng(3, 12 * MiB)), 'a file of many chunks');
    t.equal(by.get('to-a')!.header.type, 'symlink');
    t.equal(by.get('to-a')!.header.linkname, 'a.txt');
    t.equal(by.get('pipe')!.header.type, 'fifo');
    t.equal(by.get('pipe')!.header.mode! & 0o7777, 0o640);
    t.equal(by.get('dir/')!.header.type, 'directory');
  });

  t.test('without rebase: absolute paths, ancestors once', async (t) => {
    const a = archiveStream(repo, root, { paths: [Buffer.from(join(src, 'a.txt')), Buffer.from(join(src, 'dir'))], rebase: false, format: 'tar.gz' });
    const gz = await bytesOf(a.output);
    const { gunzipSync } = await import('node:zlib');
    const names = (await untar(gunzipSync(gz))).map((e) => e.header.name);
    const parts = src.slice(1).split('/');
    const ancestors = parts.map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
    t.same(names.slice(0, ancestors.length), ancestors, 'each directory above, once');
    t.same(names.slice(ancestors.length), [`${src.slice(1)}/a.txt`, `${src.slice(1)}/dir/`, `${src.slice(1)}/dir/inner/`, `${src.slice(1)}/dir/inner/${'n'.repeat(150)}`]);
  });

  t.test('small files of one group: the group is opened once', async (t) => {
    const dir = (await lookupPath(repo, root, Buffer.from(join(src, 'small')))).node!;
    const groups = new Set<string>();
    let members = 0;
    for await (const e of walkTree(repo, dir.subtree!, Buffer.from('/'))) {
      const loc = repo.index.getChunk(e.node.content![0]!)!;
      if (loc.kind === 1) members++;
      groups.add(`${loc.pack}:${loc.offset}`);
    }
    t.equal(members, 60, 'every small file is a group member');
    const c = counting(repo);
    const a = archiveStream(c.r, root, { paths: [Buffer.from(join(src, 'small'))], rebase: true, format: 'tar' });
    const entries = await untar(await bytesOf(a.output));
    t.equal(entries.length, 60);
    t.ok(entries.every((e, i) => e.body.equals(prng(1000 + i, 3000))), 'every member\'s bytes');
    t.equal(c.calls(), groups.size, `${groups.size} group(s) read for 60 files`);
  });

  t.test('zip: fifos are left out and reported', async (t) => {
    const skipped: string[] = [];
    const a = archiveStream(repo, root, { paths: [Buffer.from(src)], rebase: true, format: 'zip', onSkip: (p, why) => skipped.push(`${p}: ${why}`) });
    const zip = await bytesOf(a.output);
    await a.done;
    t.equal(zip.readUInt32LE(0), 0x04034b50, 'a zip');
    t.equal(zip.readUInt32LE(zip.length - 22), 0x06054b50, 'ends with its central directory');
    t.same(skipped, ['pipe: zip cannot hold fifos or devices']);
  });

  t.test('a client that goes away stops the walk and its reads', async (t) => {
    const c = counting(repo);
    const a = archiveStream(c.r, root, { paths: [Buffer.from(join(src, 'big.bin'))], rebase: true, format: 'tar.zst', readAheadBytes: 1 });
    await new Promise<void>((resolve) => a.output.once('data', () => resolve()));
    a.output.destroy();
    await a.done;
    const node = (await lookupPath(repo, root, Buffer.from(join(src, 'big.bin')))).node!;
    t.ok(c.calls() < node.content!.length / 2, `${c.calls()} of ${node.content!.length} chunks read`);

    const ac = new AbortController();
    const b = archiveStream(c.r, root, { paths: [Buffer.from(join(src, 'big.bin'))], rebase: true, format: 'zip', signal: ac.signal, readAheadBytes: 1 });
    await new Promise<void>((resolve) => b.output.once('data', () => resolve()));
    ac.abort();
    await b.done;
    t.ok(b.output.destroyed, 'an abort destroys the output');
  });

  t.test('a missing path ends the stream with not-found', async (t) => {
    const a = archiveStream(repo, root, { paths: [Buffer.from(join(src, 'missing'))], rebase: true, format: 'tar' });
    await t.rejects(bytesOf(a.output), { code: 'not-found' });
    await a.done;
  });
});
