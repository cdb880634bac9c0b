// Reading packs: the golden pack's trailer and units, every single-byte change detected,
// truncation, missing packs, and the SHA-256 check.
import t from 'tap';
import {
  readTrailer, readUnit, openUnitBytes, openUnitInto, verifyPackHash, sealUnit, type PackTrailer,
} from '../../../daemon/pack/index.js';
import { deriveSubkeys, hmacId, packKey } from '../../../daemon/crypto/index.js';
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
const keys = deriveSubkeys(GOLDEN_MASTER);
const file = hex(fx.file);
const plains = fx.units.map((u) => hex(u.plain));

function storageWith(bytes: Buffer): MemStorage {
  const mem = new MemStorage();
  mem.objects.set(fx.name, bytes);
  return mem;
}

t.test('the golden pack reads back', async (t) => {
  const mem = storageWith(file);
  const tr = await readTrailer(mem, fx.name, keys.enc);
  t.equal(tr.salt.toString('hex'), fx.salt);
  t.equal(tr.packKey.toString('hex'), packKey(keys.enc, tr.salt).toString('hex'));
  t.equal(tr.kind, 'data');
  t.equal(tr.size, fx.size);
  t.equal(tr.trailerOffset, fx.trailerOffset);
  t.same(tr.entries.map(({ unit, kind, codec, offset, storedLen, rawLen }) => ({ unit, kind, codec, offset, storedLen, rawLen })), fx.entries);
  for (const e of tr.entries) {
    const u = fx.units[e.unit]!;
    const plain = openUnitBytes(tr.packKey, tr.salt, e.unit, e.kind, e.codec, e.rawLen, e.id, await readUnit(mem, fx.name, e.offset, e.storedLen));
    t.equal(plain.toString('hex'), u.plain, `unit ${e.unit}`);
    if (e.kind === 1) {
      t.same(e.members!.map(([id, o, l]) => [id.toString('hex'), o, l]), u.members);
      for (const [id, o, l] of e.members!) t.same(hmacId(keys.id, plain.subarray(o, o + l)), id, 'member id');
    } else {
      t.same(hmacId(keys.id, plain), e.id, 'chunk id');
    }
  }
  t.equal(await verifyPackHash(mem, fx.name), true);
});

/** Every unit the damaged pack lets us open, or the first error. Never wrong bytes. */
async function readAll(mem: MemStorage): Promise<{ error: unknown; wrong: number }> {
  let tr: PackTrailer;
  try {
    tr = await readTrailer(mem, fx.name, keys.enc);
  } catch (error) {
    return { error, wrong: 0 };
  }
  let error: unknown = null;
  let wrong = 0;
  for (const e of tr.entries) {
    try {
      const sealed = await readUnit(mem, fx.name, e.offset, e.storedLen);
      const plain = openUnitBytes(tr.packKey, tr.salt, e.unit, e.kind, e.codec, e.rawLen, e.id, sealed);
      if (!plain.equals(plains[e.unit]!)) wrong++;
    } catch (err) {
      error ??= err;
    }
  }
  return { error, wrong };
}

t.test('flipping any single byte is detected, and no wrong bytes come back', async (t) => {
  const undetected: string[] = [];
  let wrongBytes = 0;
  for (const mask of [0x01, 0x80, 0xff]) {
    for (let i = 0; i < file.length; i++) {
      const d = Buffer.from(file);
      d[i]! ^= mask;
      const { error, wrong } = await readAll(storageWith(d));
      wrongBytes += wrong;
      if (!error) undetected.push(`${i}^${mask}`);
    }
  }
  t.same(undetected, [], 'every flip throws in readTrailer or openUnitBytes');
  t.equal(wrongBytes, 0, 'no unit opened to different bytes');
});

t.test('errors name the pack', async (t) => {
  const d = Buffer.from(file);
  d[fx.trailerOffset + 10]! ^= 1;
  await t.rejects(readTrailer(storageWith(d), fx.name, keys.enc), { code: 'internal-error', params: { object: fx.name } }, 'footer hash');
  const e = Buffer.from(file);
  e[20]! ^= 1;
  await t.rejects(readTrailer(storageWith(e), fx.name, keys.enc), { code: 'internal-error', params: { object: fx.name } }, 'salt: trailer authentication');
  await t.rejects(readTrailer(storageWith(file), fx.name, keys.meta), { code: 'internal-error', params: { object: fx.name } }, 'another key');
});

t.test('truncated, extended and missing packs', async (t) => {
  for (const [what, bytes] of [
    ['last byte cut', file.subarray(0, file.length - 1)],
    ['first byte cut', file.subarray(1)],
    ['a byte appended', Buffer.concat([file, Buffer.from([0])])],
    ['a byte inserted before the trailer', Buffer.concat([file.subarray(0, fx.trailerOffset), Buffer.from([0]), file.subarray(fx.trailerOffset)])],
    ['header only', file.subarray(0, 32)],
    ['empty', Buffer.alloc(0)],
  ] as Array<[string, Buffer]>) {
    const { error } = await readAll(storageWith(bytes));
    t.ok(error, what);
  }
  await t.rejects(readTrailer(new MemStorage(), fx.name, keys.enc), { code: 'not-found', params: { object: fx.name } });
  await t.rejects(readUnit(storageWith(file), fx.name, file.length - 10, 20), { code: 'internal-error' }, 'a range past the end');
  await t.rejects(readUnit(new MemStorage(), fx.name, 0, 20), { code: 'not-found' });
});

/** Unit 0's stored form, sealed again under a key of our own, for the open* tests. */
function resealable(): { key: Buffer; salt: Buffer; id: Buffer; stored: Buffer; rawLen: number } {
  return { key: Buffer.alloc(32, 1), salt: Buffer.alloc(16, 2), id: Buffer.alloc(32, 3), stored: hex(fx.units[0]!.stored), rawLen: plains[0]!.length };
}

t.test('openUnitBytes checks the length after decompressing', async (t) => {
  const { key, salt, id, stored, rawLen } = resealable();
  // A unit sealed with a lying rawLen authenticates, but must not be returned.
  const lying = sealUnit(key, salt, 0, 0, 1, rawLen - 1, id, stored);
  t.throws(() => openUnitBytes(key, salt, 0, 0, 1, rawLen - 1, id, lying), { code: 'internal-error' });
  const notZstd = sealUnit(key, salt, 0, 0, 1, 5, id, Buffer.from('hello'));
  t.throws(() => openUnitBytes(key, salt, 0, 0, 1, 5, id, notZstd), { code: 'internal-error' });
  const raw = sealUnit(key, salt, 0, 0, 0, 4, id, Buffer.from('hello'));
  t.throws(() => openUnitBytes(key, salt, 0, 0, 0, 4, id, raw), { code: 'internal-error' });
  t.same(openUnitBytes(key, salt, 0, 0, 1, rawLen, id, sealUnit(key, salt, 0, 0, 1, rawLen, id, stored)), plains[0]);
});

t.test('openUnitInto decodes into the room given, and checks its length as openUnitBytes does', async (t) => {
  const { key, salt, id, stored, rawLen } = resealable();
  const big = Buffer.alloc(rawLen + 10, 0xee);
  openUnitInto(key, salt, 0, 0, 1, rawLen, id, sealUnit(key, salt, 0, 0, 1, rawLen, id, stored), big.subarray(5, 5 + rawLen));
  t.same(big.subarray(5, 5 + rawLen), plains[0], 'zstd unit decoded in place');
  t.same([...big.subarray(0, 5), ...big.subarray(5 + rawLen)], new Array(10).fill(0xee), 'nothing written outside the room');
  const room = Buffer.alloc(5);
  openUnitInto(key, salt, 1, 0, 0, 5, id, sealUnit(key, salt, 1, 0, 0, 5, id, Buffer.from('hello')), room);
  t.equal(room.toString(), 'hello', 'raw unit copied in');
  // A frame holding more or fewer bytes than rawLen says, a room of the wrong size, not zstd at all.
  const lying = sealUnit(key, salt, 0, 0, 1, rawLen - 1, id, stored);
  t.throws(() => openUnitInto(key, salt, 0, 0, 1, rawLen - 1, id, lying, Buffer.alloc(rawLen - 1)), { code: 'internal-error' });
  const short = sealUnit(key, salt, 0, 0, 1, rawLen + 1, id, stored);
  t.throws(() => openUnitInto(key, salt, 0, 0, 1, rawLen + 1, id, short, Buffer.alloc(rawLen + 1)), { code: 'internal-error' });
  t.throws(() => openUnitInto(key, salt, 0, 0, 1, rawLen, id, sealUnit(key, salt, 0, 0, 1, rawLen, id, stored), Buffer.alloc(rawLen + 1)), { code: 'internal-error' });
  const notZstd = sealUnit(key, salt, 0, 0, 1, 5, id, Buffer.from('hello'));
  t.throws(() => openUnitInto(key, salt, 0, 0, 1, 5, id, notZstd, Buffer.alloc(5)), { code: 'internal-error' });
  const raw = sealUnit(key, salt, 0, 0, 0, 4, id, Buffer.from('hello'));
  t.throws(() => openUnitInto(key, salt, 0, 0, 0, 4, id, raw, Buffer.alloc(4)), { code: 'internal-error' });
  // Damaged sealed bytes never reach the room.
  const sealed = sealUnit(key, salt, 1, 0, 0, 5, id, Buffer.from('world'));
  sealed[2]! ^= 1;
  const untouched = Buffer.alloc(5, 0xee);
  t.throws(() => openUnitInto(key, salt, 1, 0, 0, 5, id, sealed, untouched));
  t.same(untouched, Buffer.alloc(5, 0xee));
});

t.test('verifyPackHash', async (t) => {
  const d = Buffer.from(file);
  d[40]! ^= 1;
  t.equal(await verifyPackHash(storageWith(d), fx.name), false);
  t.equal(await verifyPackHash(storageWith(file.subarray(0, 100)), fx.name), false);
  await t.rejects(verifyPackHash(storageWith(file), 'packs/zz/nothex'), { code: 'internal-error' });
  await t.rejects(verifyPackHash(new MemStorage(), fx.name), { code: 'not-found' });
  // Larger than one 8 MiB read block.
  const big = new MemStorage();
  const bytes = Buffer.alloc(9 * 1024 * 1024, 7);
  const { createHash } = await import('node:crypto');
  const hexId = createHash('sha256').update(bytes).digest('hex');
  big.objects.set(`packs/${hexId.slice(0, 2)}/${hexId}`, bytes);
  t.equal(await verifyPackHash(big, `packs/${hexId.slice(0, 2)}/${hexId}`), true);
});
