// The LMDB index: round trips of every table, addPack/removePack as single transactions,
// paged iteration, generations, reopening, and a table of 200k chunk rows.
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'lmdb';
import {
  openChunkIndex, INDEX_FORMAT_VERSION,
  type ChunkIndex, type ChunkLocInput, type PackRow,
} from '../../../daemon/chunk-index/index.js';
import { tmpDir } from '../../helpers/tmp.js';

const id = (s: string | number): Buffer => createHash('sha256').update(String(s)).digest();

function loc(i: number, over: Partial<ChunkLocInput> = {}): ChunkLocInput {
  return { offset: 32 + i * 1000, storedLen: 900 + i, rawLen: 2000 + i, unit: i, memberOffset: 0, memberLen: 2000 + i, kind: 0, codec: 1, flags: 0, ...over };
}

function pack(name: string | number, over: Partial<PackRow> = {}): PackRow {
  return { id: id(`pack ${name}`), kind: 0, size: 1234, units: 3, salt: id(`salt ${name}`).subarray(0, 16), condemned: false, generation: 0, addedAt: 1_700_000_000_000, ...over };
}

async function fresh(t: Test): Promise<{ path: string; ix: ChunkIndex }> {
  const path = `${tmpDir(t)}/index.lmdb`;
  const ix = await openChunkIndex(path);
  t.teardown(() => ix.close());
  return { path, ix };
}

t.test('addPack numbers packs and writes chunk rows; first location wins', async (t) => {
  const { ix } = await fresh(t);
  const p1 = pack(1);
  const n1 = await ix.addPack(p1, [[id('a'), loc(0)], [id('b'), loc(1)], [id('a'), loc(2)]]);
  t.equal(n1, 1);
  t.same(ix.getChunk(id('a')), { pack: 1, ...loc(0) }, 'the first row of a duplicate id wins');
  t.same(ix.getChunk(id('b')), { pack: 1, ...loc(1) });
  t.equal(ix.hasChunk(id('a')), true);
  t.equal(ix.hasChunk(id('zzz')), false);
  t.equal(ix.getChunk(id('zzz')), undefined);
  const n2 = await ix.addPack(pack(2, { kind: 1 }), [[id('b'), loc(5)], [id('c'), loc(6, { kind: 1, memberOffset: 10, memberLen: 20 })]]);
  t.equal(n2, 2);
  t.same(ix.getChunk(id('b')), { pack: 1, ...loc(1) }, 'an existing chunk row is kept');
  t.same(ix.getChunk(id('c')), { pack: 2, ...loc(6, { kind: 1, memberOffset: 10, memberLen: 20 }) });
  t.same(ix.getPack(1), p1);
  t.equal(ix.getPack(2)?.kind, 1);
  t.equal(ix.getPack(3), undefined);
  t.same(ix.getPackByName(p1.id.toString('hex')), { number: 1, row: p1 });
  t.same(ix.getPackByName(p1.id.toString('hex').toUpperCase())?.number, 1);
  t.equal(ix.getPackByName(id('nope').toString('hex')), undefined);
  t.equal(ix.getPackByName('not hex'), undefined);
  const ids: string[] = [];
  for await (const c of ix.listPackChunks(1)) ids.push(c.toString('hex'));
  t.same(ids, [id('a'), id('b'), id('a')].map((b) => b.toString('hex')), 'packChunks keeps the pack order');
  t.equal(ix.getMeta('packCounter'), 2);
  // The same pack id again: nothing new, same number.
  t.equal(await ix.addPack(p1, [[id('d'), loc(9)]]), 1);
  t.equal(ix.hasChunk(id('d')), false);
  t.equal(ix.getMeta('packCounter'), 2);
  t.same(ix.stats(), { chunks: 3, packs: 2, snapshots: 0, files: 0, trees: 0, sessions: 0, verify: 0, trash: 0 });
});

t.test('addPack is one transaction: a failure leaves no row at all', async (t) => {
  const { ix } = await fresh(t);
  await ix.addPack(pack(1), [[id('x'), loc(0)]]);
  // Refused before the transaction: a bad id in the middle.
  await t.rejects(ix.addPack(pack(2), [[id('a'), loc(0)], [Buffer.alloc(31), loc(1)], [id('b'), loc(2)]]), { code: 'internal-error' });
  // Failing inside the transaction, after packCounter was bumped: a row msgpack cannot encode.
  const unencodable = pack(3, { size: 10n ** 30n as unknown as number });
  await t.rejects(ix.addPack(unencodable, [[id('a'), loc(0)], [id('b'), loc(1)]]));
  t.equal(ix.hasChunk(id('a')), false, 'no chunk row without its pack row');
  t.equal(ix.hasChunk(id('b')), false);
  t.equal(ix.getPackByName(pack(3).id.toString('hex')), undefined);
  t.equal(ix.getMeta('packCounter'), 1, 'the counter bump was rolled back');
  t.same(ix.stats(), { chunks: 1, packs: 1, snapshots: 0, files: 0, trees: 0, sessions: 0, verify: 0, trash: 0 });
  t.equal(await ix.addPack(pack(4), [[id('a'), loc(0)]]), 2, 'numbering continues');
});

t.test('a chunk row is never visible before its pack row', async (t) => {
  const { ix } = await fresh(t);
  const adds: Array<Promise<number>> = [];
  for (let p = 0; p < 20; p++) {
    adds.push(ix.addPack(pack(p), Array.from({ length: 50 }, (_, i) => [id(`${p}/${i}`), loc(i)] as const)));
  }
  let checks = 0;
  // Poll while the transactions commit: whenever a chunk is there, so is its pack.
  const pending = Promise.all(adds);
  let done = false;
  void pending.then(() => (done = true));
  while (!done) {
    for (let p = 0; p < 20; p++) {
      const c = ix.getChunk(id(`${p}/49`));
      if (c) {
        t.ok(ix.getPack(c.pack), `pack ${c.pack} is there`);
        checks++;
      }
    }
    await new Promise((r) => setImmediate(r));
  }
  const numbers = await pending;
  t.same([...numbers].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), 'each pack got its own number');
  for (let p = 0; p < 20; p++) for (let i = 0; i < 50; i++) t.equal(ix.getChunk(id(`${p}/${i}`))?.pack, numbers[p]);
  t.comment(`${checks} intermediate checks`);
});

t.test('removePack removes exactly its rows', async (t) => {
  const { ix } = await fresh(t);
  const p1 = pack(1);
  const p2 = pack(2);
  await ix.addPack(p1, [[id('a'), loc(0)], [id('b'), loc(1)], [id('c'), loc(2)]]);
  await ix.addPack(p2, [[id('c'), loc(0)], [id('d'), loc(1)]]); // c stays in pack 1
  await ix.putVerify(p1.id, { checkedAt: 1 });
  await ix.putVerify(p2.id, { checkedAt: 2 });
  const removed = await ix.removePack(1);
  t.same(removed.map((b) => b.toString('hex')).sort(), [id('a'), id('b'), id('c')].map((b) => b.toString('hex')).sort());
  for (const k of ['a', 'b', 'c']) t.equal(ix.getChunk(id(k)), undefined, `${k} is gone`);
  t.same(ix.getChunk(id('d')), { pack: 2, ...loc(1) }, "another pack's row is kept");
  t.equal(ix.getPack(1), undefined);
  t.equal(ix.getPackByName(p1.id.toString('hex')), undefined);
  t.equal(ix.getVerify(p1.id), undefined, 'its verify row too');
  t.same(ix.getVerify(p2.id), { checkedAt: 2 });
  t.same(ix.getPackByName(p2.id.toString('hex'))?.number, 2);
  const left: Buffer[] = [];
  for await (const c of ix.listPackChunks(1)) left.push(c);
  t.same(left, []);
  const of2: Buffer[] = [];
  for await (const c of ix.listPackChunks(2)) of2.push(c);
  t.equal(of2.length, 2, "pack 2's list is intact");
  t.same(await ix.removePack(2), [id('d')], 'only rows pointing at the pack');
  t.same(await ix.removePack(99), [], 'an unknown pack is no error');
  t.same(ix.stats(), { chunks: 0, packs: 0, snapshots: 0, files: 0, trees: 0, sessions: 0, verify: 0, trash: 0 });
});

t.test('listPacks pages through many packs while the index changes', async (t) => {
  const { ix } = await fresh(t);
  await Promise.all(Array.from({ length: 600 }, (_, p) => ix.addPack(pack(p, { units: p }), [[id(`c${p}`), loc(0)]])));
  const seen: number[] = [];
  for await (const [n, row] of ix.listPacks()) {
    t.equal(row.units, n - 1);
    seen.push(n);
    if (n % 100 === 0) await ix.putTree(id(`t${n}`), Buffer.from('tree')); // writes between rows
  }
  t.same(seen, Array.from({ length: 600 }, (_, i) => i + 1), 'all packs, in number order, once');
  let sync = 0;
  for (const [n] of ix.listPacks()) if (n > 0) sync++;
  t.equal(sync, 600, 'plain for-of works too');
});

t.test('condemnPacks and generations', async (t) => {
  const { ix } = await fresh(t);
  t.equal(ix.generation(), 0);
  t.equal(await ix.nextGeneration(), 1);
  t.equal(await ix.nextGeneration(), 2);
  t.equal(ix.generation(), 2);
  await ix.addPack(pack(1, { generation: 2 }), [[id('a'), loc(0)]]);
  await ix.addPack(pack(2, { generation: 2 }), [[id('b'), loc(0)]]);
  const g = await ix.condemnPacks([1, 77]);
  t.equal(g, 3);
  t.equal(ix.generation(), 3);
  t.match(ix.getPack(1), { condemned: true, generation: 3 });
  t.match(ix.getPack(2), { condemned: false, generation: 2 });
  t.same(ix.getChunk(id('a'))?.pack, 1, 'condemning keeps the chunk rows');
});

t.test('snapshots, files, trees, sessions, verify and meta round-trip', async (t) => {
  const { ix } = await fresh(t);
  const sid = id('snap');
  const row = { time: [1700000000, 5], host: 'h', paths: ['/a', '/b'], root: id('root'), status: 'complete', damaged: false, stats: { files: 3 } };
  await ix.putSnapshot(sid, row);
  t.same(ix.getSnapshot(sid), row);
  t.ok(Buffer.isBuffer(ix.getSnapshot(sid)?.root), 'Buffers come back as Buffers');
  await ix.putSnapshot(id('snap2'), { n: 2 });
  const snaps: string[] = [];
  for (const [k] of ix.listSnapshots()) snaps.push(k.toString('hex'));
  t.same(snaps.sort(), [sid, id('snap2')].map((b) => b.toString('hex')).sort());
  t.equal(await ix.deleteSnapshot(sid), true);
  t.equal(ix.getSnapshot(sid), undefined);

  const dirHash = Buffer.from('0102030405060708', 'hex');
  const files = {
    size: 4096, mtimeNs: 1_700_000_000_123_456_789n, ctimeNs: 2n ** 63n - 1n, ino: 2 ** 40 + 3,
    chunks: [[id('c1'), 4], [id('c2'), 5]] as Array<[Buffer, number]>,
  };
  await ix.putFiles([
    { dirHash, name: Buffer.from('file.txt'), row: files },
    { dirHash, name: Buffer.from([0xff, 0xfe]), row: { ...files, size: 1 } },
    { dirHash, name: Buffer.alloc(3000, 0x61), row: files }, // too long for a key: skipped
  ]);
  t.same(ix.getFile(dirHash, Buffer.from('file.txt')), files);
  t.equal(ix.getFile(dirHash, Buffer.from([0xff, 0xfe]))?.size, 1, 'names are bytes, not UTF-8');
  t.equal(ix.getFile(Buffer.from('0102030405060709', 'hex'), Buffer.from('file.txt')), undefined);
  t.equal(ix.getFile(dirHash, Buffer.alloc(3000, 0x61)), undefined);
  t.throws(() => ix.getFile(Buffer.alloc(7), Buffer.from('x')), { code: 'internal-error' });

  const tree = Buffer.alloc(100_000, 7);
  await ix.putTree(id('tree'), tree);
  t.same(ix.getTree(id('tree')), tree);
  t.equal(ix.getTree(id('other')), undefined);

  const session = { pid: 1234, startedAt: 1_700_000_000_000, generation: 3, host: 'box' };
  await ix.putSession('s-1', session);
  await ix.putSession('s-2', { ...session, pid: 5 });
  t.same(ix.getSession('s-1'), session);
  t.same([...ix.listSessions()].map(([k, v]) => [k, v.pid]), [['s-1', 1234], ['s-2', 5]]);
  t.equal(await ix.deleteSession('s-1'), true);
  t.same([...ix.listSessions()].map(([k]) => k), ['s-2']);

  await ix.putVerify(id('pack'), { checkedAt: 42 });
  t.same(ix.getVerify(id('pack')), { checkedAt: 42 });
  t.same([...ix.listVerify()].map(([k, v]) => [k.toString('hex'), v.checkedAt]), [[id('pack').toString('hex'), 42]]);

  t.equal(ix.getMeta('formatVersion'), INDEX_FORMAT_VERSION);
  t.equal(ix.getMeta('location'), undefined);
  await ix.putMeta('location', 'fs:/srv/repo');
  await ix.putMeta('repositoryId', 'abc');
  t.equal(ix.getMeta('location'), 'fs:/srv/repo');
  t.equal(ix.getMeta('repositoryId'), 'abc');
  t.same(ix.stats(), { chunks: 0, packs: 0, snapshots: 1, files: 2, trees: 1, sessions: 1, verify: 1, trash: 0 });
  t.throws(() => ix.getChunk(Buffer.alloc(16)), { code: 'internal-error' }, 'ids are 32 bytes');
});

t.test('data survives close and reopen', async (t) => {
  const path = `${tmpDir(t)}/index.lmdb`;
  const a = await openChunkIndex(path);
  await a.addPack(pack(1), [[id('a'), loc(0)]]);
  await a.putSnapshot(id('s'), { v: 1 });
  await a.putFiles([{ dirHash: Buffer.alloc(8), name: Buffer.from('f'), row: { size: 1, mtimeNs: 1n, ctimeNs: 2n, ino: 3, chunks: [] } }]);
  await a.putTree(id('t'), Buffer.from('tree'));
  await a.putSession('s', { pid: 1, startedAt: 2, generation: 3, host: 'h' });
  await a.putVerify(pack(1).id, { checkedAt: 5 });
  await a.putMeta('location', 'fs:/x');
  await a.nextGeneration();
  await a.flushed();
  await a.close();
  await a.close(); // idempotent
  const b = await openChunkIndex(path);
  t.teardown(() => b.close());
  t.same(b.getChunk(id('a')), { pack: 1, ...loc(0) });
  t.same(b.getPack(1), pack(1));
  t.same(b.getSnapshot(id('s')), { v: 1 });
  t.same(b.getFile(Buffer.alloc(8), Buffer.from('f')), { size: 1, mtimeNs: 1n, ctimeNs: 2n, ino: 3, chunks: [] });
  t.same(b.getTree(id('t')), Buffer.from('tree'));
  t.same(b.getSession('s'), { pid: 1, startedAt: 2, generation: 3, host: 'h' });
  t.same(b.getVerify(pack(1).id), { checkedAt: 5 });
  t.equal(b.getMeta('location'), 'fs:/x');
  t.equal(b.generation(), 1);
  t.equal(await b.addPack(pack(2), []), 2, 'the pack counter survives too');
});

t.test('an index of another format version is refused', async (t) => {
  const path = `${tmpDir(t)}/index.lmdb`;
  const env = open({ path, maxDbs: 16, compression: false, noSubdir: false });
  await env.openDB('meta', { encoding: 'msgpack' }).put('formatVersion', INDEX_FORMAT_VERSION + 1);
  await env.close();
  await t.rejects(openChunkIndex(path), { code: 'unavailable' });
});

t.test('200k chunk rows are stored and looked up', async (t) => {
  const { ix } = await fresh(t);
  const perPack = 2000;
  const packs = 100;
  const all = randomBytes(32 * perPack * packs);
  const chunkId = (k: number): Buffer => all.subarray(k * 32, k * 32 + 32);
  // Queued together, the transactions commit in a few batches.
  await Promise.all(Array.from({ length: packs }, (_, p) => ix.addPack(pack(p, { units: perPack }),
    Array.from({ length: perPack }, (_, i) => [chunkId(p * perPack + i), loc(i)] as const))));
  t.equal(ix.stats().chunks, packs * perPack);
  const packIds = Array.from({ length: packs }, (_, p) => pack(p).id);
  let wrong = 0;
  for (let k = 0; k < packs * perPack; k++) {
    const c = ix.getChunk(chunkId(k));
    const row = c && ix.getPack(c.pack);
    if (!c || !row || c.unit !== k % perPack || !row.id.equals(packIds[Math.floor(k / perPack)]!)) wrong++;
  }
  t.equal(wrong, 0, 'every row found at its place');
  let absent = 0;
  for (let k = 0; k < 10_000; k++) if (!ix.hasChunk(id(`absent ${k}`))) absent++;
  t.equal(absent, 10_000);
});

t.test('trash rows: moveToTrash and restoreFromTrash move a row in one transaction', async (t) => {
  const { ix } = await fresh(t);
  const snap = id('snapshot');
  await ix.putSnapshot(snap, { time: [1, 2], generation: 3 });
  await ix.moveToTrash(snap, { time: [1, 2], generation: 3, removedAt: 99 });
  t.equal(ix.getSnapshot(snap), undefined, 'the snapshot row is gone');
  t.same(ix.getTrash(snap), { time: [1, 2], generation: 3, removedAt: 99 });
  t.same([...ix.listTrash()].map(([k]) => k.toString('hex')), [snap.toString('hex')]);
  t.same(ix.stats().trash, 1);
  await ix.restoreFromTrash(snap, { time: [1, 2], generation: 4 });
  t.equal(ix.getTrash(snap), undefined);
  t.same(ix.getSnapshot(snap), { time: [1, 2], generation: 4 });
  await ix.putTrash(snap, { damaged: true });
  t.equal(await ix.deleteTrash(snap), true);
  t.same([...ix.listTrash()], []);
});
