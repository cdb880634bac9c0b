// Issue 4's download acceptance (npm run test:slow): a ~1 GB dedup-heavy snapshot (1000
// files of 1 MiB made of 8 distinct random blocks) is backed up; after one warm-up
// download, a zip and a tar.zst are streamed through curl to files while cairnd's RssAnon
// is sampled every 100 ms: it rises by less than 64 MB; both unpack (Debian's unzip and
// tar) identical to a restore of the same snapshot.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupResult, DownloaderResult, RestoreResult } from '../../shared/schemas/index.js';
import { curlSock, startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { prng } from '../helpers/tree.js';
import { post } from './api.js';

const MiB = 1 << 20;
const FILES = 1000;
const LIMIT = 64 * 1000 * 1000;

function rssAnon(pid: number): number {
  const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** Streams one prepared download with curl into `file`; RssAnon's peak while it ran. */
async function download(d: Cairnd, id: string, dir: string, format: string, file: string): Promise<{ status: number; base: number; peak: number }> {
  const prep = await post<DownloaderResult>(d, `/api/snapshot/vfs/downloader/${id}`, { files: [dir], format, rebase: true });
  const pid = d.proc.pid!;
  const base = rssAnon(pid);
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssAnon(pid));
  }, 100);
  try {
    const r = await curlSock(d, ['-o', file, prep.json.download_url]);
    return { status: r.status, base, peak: Math.max(peak, rssAnon(pid)) };
  } finally {
    clearInterval(timer);
  }
}

/** Each file's SHA-256, mode and mtime (whole seconds; DOS steps of 2 s for zip). */
function manifest(root: string, dosTimes: boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const st = statSync(join(root, name));
    const s = Math.floor(st.mtimeMs / 1000);
    out.push(`${name} ${(st.mode & 0o7777).toString(8)} ${dosTimes ? s - (s & 1) : s} ${createHash('sha256').update(readFileSync(join(root, name))).digest('hex')}`);
  }
  return out;
}

t.test('zip and tar.zst of 1 GB stream in bounded memory and unpack identical to a restore', async (t) => {
  const d = await startCairnd(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(src);
  const blocks = Array.from({ length: 8 }, (_, i) => prng(100 + i, MiB));
  for (let i = 0; i < FILES; i++) writeFileSync(join(src, `f${String(i).padStart(4, '0')}.bin`), blocks[i % blocks.length]!);

  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b.status, 200, b.text.slice(0, 300));
  const id = b.json.snapshot_id;
  const restored = join(work, 'restored');
  const r = await post<RestoreResult>(d, `/api/snapshots/${id}/restore`, { destination: restored, paths: [src], rebase: true });
  t.equal(r.status, 200, r.text.slice(0, 300));
  t.equal(r.json.restored_files, FILES);

  const warm = await download(d, id, src, 'zip', join(work, 'warm.zip'));
  t.equal(warm.status, 200, 'warm-up download');
  for (const [format, unpack] of [['zip', ['unzip', '-q']], ['tar.zst', ['tar', '--zstd', '-xf']]] as const) {
    const file = join(work, `all.${format}`);
    const m = await download(d, id, src, format, file);
    t.equal(m.status, 200, `${format}: streamed`);
    t.ok(statSync(file).size > (format === 'zip' ? FILES * MiB : 0), `${format}: ${statSync(file).size} bytes`);
    t.ok(m.peak - m.base < LIMIT, `${format}: RssAnon rose ${((m.peak - m.base) / 1e6).toFixed(1)} MB (from ${(m.base / 1e6).toFixed(1)} MB)`);
    const out = join(work, `unpacked-${format}`);
    mkdirSync(out);
    execFileSync(unpack[0], [...unpack.slice(1), file], { cwd: out });
    t.same(manifest(out, format === 'zip'), manifest(restored, format === 'zip'), `${format}: identical to the restore`);
  }
});
