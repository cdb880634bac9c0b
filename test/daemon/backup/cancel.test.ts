// Cancelling a backup (AbortSignal) leaves no snapshot and no damage: finished packs stay
// as dedup sources, partial uploads go, and the repository checks clean.
import t from 'tap';
import { join } from 'node:path';
import { mkdirSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { backup } from '../../../daemon/backup/index.js';
import { check } from '../../../daemon/check/index.js';
import { CancelledError } from '../../../daemon/errors.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { tmpDir } from '../../helpers/tmp.js';
import { prng } from '../../helpers/tree.js';

t.test('a cancelled backup leaves no snapshot and no damage', async (t) => {
  const h = await makeTestRepo(t);
  const src = join(tmpDir(t), 'src');
  mkdirSync(src);
  for (let i = 0; i < 12; i++) writeFileSync(join(src, `big${i}`), prng(i + 1, 6 << 20));
  const ac = new AbortController();
  let aborted = false;
  const run = backup(h.repo, {
    sources: [Buffer.from(src)], signal: ac.signal, progressIntervalMs: 0,
    onProgress: (p) => {
      if (!aborted && p.bytesDone >= 40 << 20) {
        aborted = true;
        ac.abort();
      }
    },
  });
  await t.rejects(run, CancelledError, 'the backup ends as cancelled');
  t.ok(aborted, 'it was cancelled mid-way');
  t.equal([...h.repo.index.listSnapshots()].length, 0, 'no snapshot in the index');
  const snaps = join(h.location, 'snapshots');
  t.equal(existsSync(snaps) ? readdirSync(snaps).length : 0, 0, 'no snapshot object');
  t.equal(readdirSync(join(h.location, 'tmp')).length, 0, 'no partial upload left in tmp/');
  const c = await check(h.repo, { readData: true, subset: null });
  t.equal(c.status, 'success', JSON.stringify(c.errors));
  const kept = [...h.repo.index.listPacks()].filter(([, p]) => p.kind === 0).reduce((n, [, p]) => n + p.size, 0);
  const again = await backup(h.repo, { sources: [Buffer.from(src)] });
  t.ok(again.record.stats.storedBytes < (72 << 20) - kept + (8 << 20), `the next backup reuses the ${kept} bytes of packs the cancelled one finished`);
  t.equal((await check(h.repo, { readData: true, subset: null })).status, 'success');
});
