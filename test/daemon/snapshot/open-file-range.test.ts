// openFileRange: seeded random ranges of files of every shape (several chunks, a small-file
// group member, sparse with holes, all zeros, one byte, empty) equal the source's bytes;
// holes are never read; reads ahead stay bounded; bad ranges, directories and an abort are
// refused.
import t from 'tap';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from '../../../daemon/backup/index.js';
import { CairnError, CancelledError } from '../../../daemon/errors.js';
import type { Repository } from '../../../daemon/repository/index.js';
import { lookupPath, openFileRange, zeroChunkOf, type FileRangeRepo, type TreeNode } from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';
import { prng } from '../../helpers/tree.js';

const MiB = 1 << 20;

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

/** Deterministic numbers in [0, n) (xorshift32). */
function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % Math.max(1, n);
  };
}

/** The repository with readUnits counted: calls, units and the most in flight at once. */
function counting(repo: Repository): { r: FileRangeRepo; calls: () => number; maxInFlight: () => number; reset(): void } {
  let calls = 0;
  let inFlight = 0;
  let max = 0;
  const r: FileRangeRepo = {
    index: repo.index, hmac: (b) => repo.hmac(b), gear: repo.gear, chunkerParams: repo.chunkerParams,
    readUnits: async (...args) => {
      calls++;
      max = Math.max(max, ++inFlight);
      try {
        return await repo.readUnits(...args);
      } finally {
        inFlight--;
      }
    },
  };
  return { r, calls: () => calls, maxInFlight: () => max, reset() { calls = 0; max = 0; } };
}

t.test('random ranges of every kind of file equal the source', async (t) => {
  const { repo } = await makeTestRepo(t);
  const src = join(tmpDir(t), 'src');
  mkdirSync(src);
  const files: Record<string, Buffer> = {
    'multi.bin': prng(11, 9 * MiB + 12345),
    'member.txt': prng(12, 10_000),
    'one.bin': Buffer.from('x'),
    'empty': Buffer.alloc(0),
    'zeros.bin': Buffer.alloc(20 * MiB),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(src, name), bytes);
  // sparse: 48 MiB, 1 MiB of data at 20 MiB and 100 KiB at the end, holes elsewhere
  const sparse = Buffer.alloc(48 * MiB);
  prng(13, MiB).copy(sparse, 20 * MiB);
  prng(14, 100 << 10).copy(sparse, sparse.length - (100 << 10));
  const fd = openSync(join(src, 'sparse.img'), 'w');
  ftruncateSync(fd, sparse.length);
  writeSync(fd, sparse, 20 * MiB, MiB, 20 * MiB);
  writeSync(fd, sparse, sparse.length - (100 << 10), 100 << 10, sparse.length - (100 << 10));
  closeSync(fd);
  files['sparse.img'] = sparse;
  t.ok(readFileSync(join(src, 'sparse.img')).equals(sparse), 'fixture written');

  const res = await backup(repo, { sources: [Buffer.from(src)] });
  t.same(res.errors, []);
  const nodeOf = async (name: string): Promise<TreeNode> => (await lookupPath(repo, res.record.root, Buffer.from(join(src, name)))).node!;
  const c = counting(repo);
  const next = rng(20240601);

  for (const [name, bytes] of Object.entries(files)) {
    const node = await nodeOf(name);
    t.equal(node.size, bytes.length, `${name}: size`);
    t.ok((await collect(openFileRange(c.r, node, 0, node.size))).equals(bytes), `${name}: whole file`);
    for (let i = 0; i < 25; i++) {
      const a = next(bytes.length + 1);
      const b = a + next(bytes.length - a + 1);
      const got = await collect(openFileRange(c.r, node, a, b, { readAheadBytes: 1 + next(4 * MiB) }));
      if (!got.equals(bytes.subarray(a, b))) {
        t.fail(`${name}: [${a}, ${b}) differs`);
        return;
      }
    }
    t.pass(`${name}: 25 random ranges exact`);
  }

  t.test('holes and zero runs are not read', async (t) => {
    const zero = zeroChunkOf(repo);
    for (const name of ['sparse.img', 'zeros.bin']) {
      const node = await nodeOf(name);
      const zeros = node.content!.filter((id) => id.equals(zero.id)).length;
      t.ok(zeros >= 2, `${name}: ${zeros} of ${node.content!.length} chunks are the zero chunk`);
      c.reset();
      await collect(openFileRange(c.r, node, 0, node.size));
      t.equal(c.calls(), node.content!.length - zeros, `${name}: only the chunks holding data were read`);
    }
  });

  t.test('reads ahead stay bounded', async (t) => {
    const node = await nodeOf('multi.bin');
    t.ok(node.content!.length >= 4, `${node.content!.length} chunks`);
    c.reset();
    await collect(openFileRange(c.r, node, 0, node.size, { readAheadBytes: 1 }));
    t.equal(c.maxInFlight(), 1, 'readAheadBytes 1: one chunk at a time');
    c.reset();
    await collect(openFileRange(c.r, node, 0, node.size, { readAheadBytes: 64 * MiB }));
    t.ok(c.maxInFlight() > 1, `a larger read-ahead overlaps reads (${c.maxInFlight()} at once)`);
    c.reset();
    const it = openFileRange(c.r, node, 0, node.size, { readAheadBytes: 1 });
    await it.next();
    await it.return(undefined);
    t.ok(c.calls() <= 2, `stopping early leaves the rest unread (${c.calls()} of ${node.content!.length} chunks read)`);
  });

  t.test('refusals', async (t) => {
    const node = await nodeOf('multi.bin');
    await t.rejects(collect(openFileRange(repo, node, 5, 4)), RangeError, 'start after end');
    await t.rejects(collect(openFileRange(repo, node, 0, node.size + 1)), RangeError, 'past the end');
    const dir = (await lookupPath(repo, res.record.root, Buffer.from(src))).node!;
    await t.rejects(collect(openFileRange(repo, dir, 0, 0)), CairnError, 'a directory');
    const ac = new AbortController();
    const it = openFileRange(repo, node, 0, node.size, { signal: ac.signal, readAheadBytes: 1 });
    await it.next();
    ac.abort();
    await t.rejects(collect({ [Symbol.asyncIterator]: () => it }), CancelledError, 'an abort stops the read');
    const missing: TreeNode = { ...node, content: [Buffer.alloc(32, 7)] };
    await t.rejects(collect(openFileRange(repo, missing, 0, 1)), { code: 'not-found' }, 'a chunk missing from the index');
    const short: TreeNode = { ...node, size: node.size + 10 };
    await t.rejects(collect(openFileRange(repo, short, node.size, node.size + 10)), { code: 'internal-error' }, 'content shorter than the size');
  });
});
