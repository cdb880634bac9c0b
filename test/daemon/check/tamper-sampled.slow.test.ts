// Tamper evidence (issue 3): every flipped byte of a small data pack, of a tree pack and
// of a snapshot object is caught by check --read-data, which names the object; plain check
// catches every flip in a trailer, tree or snapshot object; a restore that reads the
// flipped byte fails naming the pack and writes no unauthenticated byte.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { backup } from '../../../daemon/backup/index.js';
import { restore } from '../../../daemon/restore/index.js';
import { check } from '../../../daemon/check/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';
import { prng } from '../../helpers/tree.js';

function packsOf(location: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(location, 'packs'))) {
    for (const f of readdirSync(join(location, 'packs', d))) out.push(`packs/${d}/${f}`);
  }
  return out;
}

/** Flips every `step`-th byte (1 = every byte: the slow suite runs that). */
export function tamperSuite(step: number): void {
t.test(`flipped bytes are always caught (every ${step === 1 ? '' : `${step}th `}byte)`, async (t) => {
  const h = await makeTestRepo(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'a small file that lives in a group\n'.repeat(20));
  writeFileSync(join(src, 'b.bin'), prng(5, 3000));
  const res = await backup(h.repo, { sources: [Buffer.from(src)] });
  const packs = packsOf(h.location);
  t.equal(packs.length, 2, 'one data pack and one tree pack');
  const kinds = new Map<string, number>();
  for (const p of packs) kinds.set(p, h.repo.index.getPackByName(p.slice(p.lastIndexOf('/') + 1))!.row.kind);
  const dataPack = packs.find((p) => kinds.get(p) === 0)!;
  const treePack = packs.find((p) => kinds.get(p) === 1)!;
  const snapName = `snapshots/${res.id.toString('hex')}`;

  const flipEach = async (name: string, step: number, each: (off: number, size: number) => Promise<void>): Promise<void> => {
    const path = join(h.location, name);
    const orig = readFileSync(path);
    for (let off = 0; off < orig.length; off += step) {
      const bad = Buffer.from(orig);
      bad[off] ^= 0x01 << (off % 8);
      writeFileSync(path, bad);
      try {
        await each(off, orig.length);
      } finally {
        writeFileSync(path, orig);
      }
    }
  };

  // data pack: every byte
  const dataSize = readFileSync(join(h.location, dataPack)).length;
  const trailer = await import('../../../daemon/pack/index.js').then((m) => m.readTrailer(h.repo.storage, dataPack, h.repo.keys.enc));
  const unitEnd = trailer.trailerOffset;
  let missedFull = 0;
  let missedPlain = 0;
  let restoreWrong = 0;
  let restoreMissed = 0;
  await flipEach(dataPack, step, async (off) => {
    const full = await check(h.repo, { readData: true, subset: null });
    if (full.status !== 'failure' || !full.errors.some((e) => e.object === dataPack)) missedFull++;
    if (off >= unitEnd) {
      const plain = await check(h.repo, { readData: false, subset: null });
      if (plain.status !== 'failure') missedPlain++;
    }
    if (off >= 32 && off < unitEnd) {
      const dest = join(work, `r${off}`);
      const r = await restore(h.repo, res.record.root, { destination: Buffer.from(dest), paths: [], rebase: false, overwrite: 'never', skipPermissions: false });
      if (!r.errors.some((e) => e.message.includes(dataPack.slice(dataPack.lastIndexOf('/') + 1)))) restoreMissed++;
      for (const f of ['a.txt', 'b.bin']) {
        const p = join(dest, src, f);
        if (existsSync(p) && readFileSync(p).length > 0 && !readFileSync(p).equals(readFileSync(join(src, f)))) restoreWrong++;
      }
    }
  });
  t.equal(missedFull, 0, `check --read-data caught all ${Math.ceil(dataSize / step)} flips of the data pack and named it`);
  t.equal(missedPlain, 0, 'plain check caught every flip in the trailer and footer');
  t.equal(restoreMissed, 0, 'restore named the pack for every flip in a unit');
  t.equal(restoreWrong, 0, 'restore never wrote unauthenticated bytes');

  // tree pack: every byte (plain check reads trees from storage)
  let treeMissed = 0;
  await flipEach(treePack, step, async () => {
    const plain = await check(h.repo, { readData: false, subset: null });
    if (plain.status !== 'failure') treeMissed++;
  });
  t.equal(treeMissed, 0, 'plain check caught every flip of the tree pack');

  // snapshot object: every byte
  let snapMissed = 0;
  await flipEach(snapName, Math.max(1, step >> 3), async () => {
    const plain = await check(h.repo, { readData: false, subset: null });
    if (plain.status !== 'failure' || !plain.errors.some((e) => e.object === snapName)) snapMissed++;
  });
  t.equal(snapMissed, 0, 'plain check caught every flip of the snapshot object and named it');

  const clean = await check(h.repo, { readData: true, subset: null });
  t.equal(clean.status, 'success', 'the untouched repository checks clean');
});
}

/** Seeded offsets in a real, multi-megabyte pack: check --read-data names it every time. */
export function realPackSuite(flips: number): void {
  t.test(`${flips} seeded flips in a real pack`, async (t) => {
    const h = await makeTestRepo(t);
    const src = join(tmpDir(t), 'src');
    mkdirSync(src);
    for (let i = 0; i < 6; i++) writeFileSync(join(src, `big${i}`), prng(100 + i, (1 << 20) + i * 77_777));
    for (let i = 0; i < 200; i++) writeFileSync(join(src, `small${i}`), `small file ${i}\n`.repeat(i + 1));
    await backup(h.repo, { sources: [Buffer.from(src)] });
    const dataPack = packsOf(h.location).find((p) => h.repo.index.getPackByName(p.slice(p.lastIndexOf('/') + 1))!.row.kind === 0)!;
    const path = join(h.location, dataPack);
    const orig = readFileSync(path);
    t.ok(orig.length > 6 << 20, `the pack is ${orig.length} bytes`);
    let x = 0x9e3779b9;
    let missed = 0;
    for (let k = 0; k < flips; k++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      const off = x % orig.length;
      const bad = Buffer.from(orig);
      bad[off] ^= 0x80;
      writeFileSync(path, bad);
      const r = await check(h.repo, { readData: true, subset: null });
      if (r.status !== 'failure' || !r.errors.some((e) => e.object === dataPack)) missed++;
    }
    writeFileSync(path, orig);
    t.equal(missed, 0, 'every flip was caught and the pack named');
    t.equal((await check(h.repo, { readData: true, subset: null })).status, 'success', 'clean again once restored');
  });
}

// Run directly: a stride that still hits header, units, trailer and footer; the slow suite
// (tamper.slow.test.ts) flips every byte.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  tamperSuite(97);
  realPackSuite(6);
}
