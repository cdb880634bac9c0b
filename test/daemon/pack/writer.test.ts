// PackWriter: the golden pack byte for byte, out-of-order units, and misuse.
import t from 'tap';
import { createHash } from 'node:crypto';
import { PackWriter, sealUnit, readTrailer, openUnitBytes, readUnit, type UnitEntry, type GroupMember } from '../../../daemon/pack/index.js';
import { deriveSubkeys } from '../../../daemon/crypto/index.js';
import { MemStorage } from '../../helpers/mem-storage.js';
import { formatFixture, hex, GOLDEN_MASTER } from '../../helpers/format-fixtures.js';

interface PackFixture {
  salt: string;
  units: Array<{ kind: number; codec: number; plain: string; stored: string; id: string | null; members: Array<[string, number, number]> | null }>;
  entries: Array<{ unit: number; kind: number; codec: number; offset: number; storedLen: number; rawLen: number }>;
  trailerOffset: number;
  name: string;
  size: number;
  file: string;
}
const fx = formatFixture<PackFixture>('pack.json');
const enc = deriveSubkeys(GOLDEN_MASTER).enc;

function entryOf(u: PackFixture['units'][number]): UnitEntry {
  return {
    kind: u.kind, codec: u.codec, rawLen: hex(u.plain).length, id: u.id ? hex(u.id) : null,
    members: u.members ? u.members.map(([id, o, l]): GroupMember => [hex(id), o, l]) : null,
  };
}

t.test('the golden pack, units added out of order', async (t) => {
  const mem = new MemStorage();
  const w = await PackWriter.create(mem, enc, 'data', { saltForTest: hex(fx.salt) });
  t.equal(w.salt.toString('hex'), fx.salt);
  t.equal(w.size, 32, 'the header is written at once');
  t.equal((await mem.get('tmp/0')).length, 32);
  const idx = fx.units.map(() => w.nextUnitIndex());
  t.same(idx, [0, 1, 2]);
  const sealed = fx.units.map((u, i) => {
    const e = entryOf(u);
    return sealUnit(w.packKey, w.salt, i, e.kind, e.codec, e.rawLen, e.id ?? null, hex(u.stored));
  });
  const order: string[] = [];
  const p2 = w.addSealed(2, entryOf(fx.units[2]!), sealed[2]!).then(() => order.push('2'));
  const p1 = w.addSealed(1, entryOf(fx.units[1]!), sealed[1]!).then(() => order.push('1'));
  await new Promise((r) => setImmediate(r));
  t.same(order, [], 'units 1 and 2 wait for unit 0');
  t.equal(w.size, 32 + sealed[1]!.length + sealed[2]!.length, 'size counts waiting units');
  const p0 = w.addSealed(0, entryOf(fx.units[0]!), sealed[0]!).then(() => order.push('0'));
  await Promise.all([p0, p1, p2]);
  t.same(order, ['0', '1', '2'], 'written in index order');
  const done = await w.finish();
  t.equal(done.name, fx.name);
  t.equal(done.packId.toString('hex'), fx.name.slice(9));
  t.equal(done.size, fx.size);
  t.same(done.entries.map(({ unit, kind, codec, offset, storedLen, rawLen }) => ({ unit, kind, codec, offset, storedLen, rawLen })), fx.entries);
  t.same(done.entries[2]!.members, entryOf(fx.units[2]!).members);
  t.equal(done.entries[2]!.id, null);
  const file = await mem.get(fx.name);
  t.equal(file.toString('hex'), fx.file, 'byte for byte');
  t.equal(createHash('sha256').update(file).digest('hex'), done.packId.toString('hex'));
  t.same([...mem.objects.keys()], [fx.name], 'the upload was committed; no tmp left');
  await w.abort();
  t.ok(mem.objects.has(fx.name), 'abort after commit keeps the pack');
});

t.test('a fresh salt per writer', async (t) => {
  const mem = new MemStorage();
  const a = await PackWriter.create(mem, enc, 'data');
  const b = await PackWriter.create(mem, enc, 'data');
  t.not(a.salt.toString('hex'), b.salt.toString('hex'));
  t.not(a.packKey.toString('hex'), b.packKey.toString('hex'));
  await a.abort();
  await b.abort();
  t.equal(mem.objects.size, 0, 'aborted uploads are gone');
});

t.test('many units concurrently in random order round-trip through the reader', async (t) => {
  const mem = new MemStorage();
  const w = await PackWriter.create(mem, enc, 'tree');
  const plains = Array.from({ length: 60 }, (_, i) => Buffer.alloc((i * 7919) % 5000, i));
  const ids = plains.map((p) => createHash('sha256').update(p).digest());
  const idx = plains.map(() => w.nextUnitIndex());
  const order = idx.map((i) => i).sort((a, b) => ((a * 31) % 61) - ((b * 31) % 61));
  await Promise.all(order.map(async (i) => {
    const kind = i % 5 === 0 ? 3 : 2;
    const sealed = sealUnit(w.packKey, w.salt, i, kind, 0, plains[i]!.length, ids[i]!, plains[i]!);
    await w.addSealed(i, { kind, codec: 0, rawLen: plains[i]!.length, id: ids[i]! }, sealed);
  }));
  const done = await w.finish();
  const tr = await readTrailer(mem, done.name, enc);
  t.equal(tr.kind, 'tree');
  t.same(tr.entries, done.entries);
  let same = 0;
  for (const e of tr.entries) {
    const sealed = await readUnit(mem, done.name, e.offset, e.storedLen);
    if (openUnitBytes(tr.packKey, tr.salt, e.unit, e.kind, e.codec, e.rawLen, e.id, sealed).equals(plains[e.unit]!)) same++;
  }
  t.equal(same, plains.length);
});

t.test('misuse is refused', async (t) => {
  const mem = new MemStorage();
  const w = await PackWriter.create(mem, enc, 'data');
  const id = Buffer.alloc(32, 1);
  const i = w.nextUnitIndex();
  const s = sealUnit(w.packKey, w.salt, i, 0, 0, 3, id, Buffer.from('abc'));
  await t.rejects(w.addSealed(i + 1, { kind: 0, codec: 0, rawLen: 3, id }, s), { code: 'internal-error' }, 'not reserved');
  await t.rejects(w.addSealed(i, { kind: 2, codec: 0, rawLen: 3, id }, s), { code: 'internal-error' }, 'a tree unit in a data pack');
  await t.rejects(w.addSealed(i, { kind: 0, codec: 0, rawLen: 3, id: null }, s), { code: 'internal-error' }, 'no id');
  await t.rejects(w.addSealed(i, { kind: 1, codec: 0, rawLen: 3, id: null, members: [[id, 2, 2]] }, s), { code: 'internal-error' }, 'member past the end');
  await t.rejects(w.addSealed(i, { kind: 0, codec: 0, rawLen: 3, id }, s.subarray(0, 10)), { code: 'internal-error' }, 'shorter than a tag');
  const j = w.nextUnitIndex();
  await w.addSealed(i, { kind: 0, codec: 0, rawLen: 3, id }, s);
  await t.rejects(w.addSealed(i, { kind: 0, codec: 0, rawLen: 3, id }, s), { code: 'internal-error' }, 'added twice');
  await t.rejects(w.finish(), { code: 'internal-error' }, `unit ${j} reserved but missing`);
  await w.addSealed(j, { kind: 0, codec: 0, rawLen: 3, id }, sealUnit(w.packKey, w.salt, j, 0, 0, 3, id, Buffer.from('abc')));
  const k = w.nextUnitIndex();
  const l = w.nextUnitIndex();
  const stuck = w.addSealed(l, { kind: 0, codec: 0, rawLen: 3, id }, sealUnit(w.packKey, w.salt, l, 0, 0, 3, id, Buffer.from('abc')));
  t.equal(k + 1, l);
  await w.abort();
  await t.rejects(stuck, { code: 'internal-error' }, 'abort rejects units still waiting');
  t.throws(() => w.nextUnitIndex(), { code: 'internal-error' });
  await t.rejects(w.finish(), { code: 'internal-error' });
  t.equal(mem.objects.size, 0, 'nothing left behind');
});

t.test('a failed write fails the pack; abort cleans up', async (t) => {
  const mem = new MemStorage();
  const w = await PackWriter.create(mem, enc, 'data');
  const id = Buffer.alloc(32, 1);
  const i = w.nextUnitIndex();
  mem.failNextWrite = new Error('disk full');
  await t.rejects(w.addSealed(i, { kind: 0, codec: 0, rawLen: 1, id }, sealUnit(w.packKey, w.salt, i, 0, 0, 1, id, Buffer.from('x'))), /disk full/);
  const j = w.nextUnitIndex();
  await t.rejects(w.addSealed(j, { kind: 0, codec: 0, rawLen: 1, id }, sealUnit(w.packKey, w.salt, j, 0, 0, 1, id, Buffer.from('y'))), /disk full/);
  await t.rejects(w.finish(), /disk full/);
  await w.abort();
  t.equal(mem.objects.size, 0);
});

t.test('bad kinds and salts are refused before an upload opens', async (t) => {
  const mem = new MemStorage();
  await t.rejects(PackWriter.create(mem, enc, 'index' as 'data'), { code: 'internal-error' });
  await t.rejects(PackWriter.create(mem, enc, 'data', { saltForTest: Buffer.alloc(8) }), { code: 'internal-error' });
  t.equal(mem.objects.size, 0);
});

t.test('a failed header write leaves nothing', async (t) => {
  const mem = new MemStorage();
  mem.failNextWrite = new Error('no space');
  await t.rejects(PackWriter.create(mem, enc, 'data'), /no space/);
  t.equal(mem.objects.size, 0);
});
