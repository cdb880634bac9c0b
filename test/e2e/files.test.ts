// API.md "Files" through a real cairnd and curl: the reader (random Range reads exact,
// suffix and open ranges, 416, download=true, render escapes <script>, a directory
// refused), files/cat (gz and zst decompressed, ANSI colours), files/digest against
// node:crypto for all four algorithms, and archive downloads in every format unpacked by
// Debian's unzip and tar, identical to a restore of the same snapshot (contents, modes,
// mtimes, symlinks); single-use and unknown download ids; the CLI's cat, digest, download.
import t from 'tap';
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress as zstd } from 'zstd-napi';
import type { BackupResult, Digest, DownloaderResult, RestoreResult } from '../../shared/schemas/index.js';
import { percentEncodePath } from '../../shared/snapshot-ref.js';
import { cairn, curlSock, startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { prng } from '../helpers/tree.js';
import { get, isError, post } from './api.js';

const MiB = 1 << 20;
const TEXT = 'line one\n<b>two</b>\n'.repeat(200);
const CODE = 'const x = "</pre>";\n<script>alert("boom")</script>\nfunction f(a) { return a < 2 && a > 0; }\n';

/** The test's source tree: what a download must carry, and what it may not lose. */
function makeSource(src: string): void {
  mkdirSync(join(src, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(src, 'empty-dir'));
  writeFileSync(join(src, 'big.bin'), prng(5, 6 * MiB + 777));
  writeFileSync(join(src, 'hello.txt'), TEXT);
  writeFileSync(join(src, 'page.js'), CODE);
  writeFileSync(join(src, 'text.gz'), gzipSync(TEXT));
  writeFileSync(join(src, 'text.zst'), zstd(Buffer.from(TEXT)));
  writeFileSync(join(src, 'café.txt'), 'unicode name\n');
  writeFileSync(join(src, 'empty'), '');
  writeFileSync(join(src, 'sub', 'deeper', `${'long-name-'.repeat(14)}.txt`), 'a name over 100 bytes\n');
  writeFileSync(join(src, 'sub', 'secret'), 'mode 600\n');
  chmodSync(join(src, 'sub', 'secret'), 0o600);
  writeFileSync(join(src, 'sub', 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(src, 'sub', 'run.sh'), 0o755);
  chmodSync(join(src, 'sub', 'deeper'), 0o750);
  symlinkSync('hello.txt', join(src, 'link'));
  symlinkSync('../big.bin', join(src, 'sub', 'up-link'));
  utimesSync(join(src, 'hello.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
  utimesSync(join(src, 'sub', 'deeper'), new Date('2010-01-01T00:00:00Z'), new Date('2010-01-01T00:00:00Z'));
}

interface CompareOptions {
  /** tar keeps nanoseconds; unzip reads the DOS time of zip's local headers: 2 s steps
   *  (yazl writes the exact seconds only in the central directory). */
  mtime: 'ns' | 'dos';
  /** unzip sets no times on symlinks. */
  symlinkTimes: boolean;
}

/** Differences between a restored tree and an unpacked archive: the same entries with the
 *  same type, permission bits, size, contents, link targets and mtimes. */
function treeDiffs(a: string, b: string, o: CompareOptions): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const pa = join(a, rel);
    const pb = join(b, rel);
    const sa = lstatSync(pa, { bigint: true });
    let sb;
    try {
      sb = lstatSync(pb, { bigint: true });
    } catch {
      out.push(`${rel}: missing from the archive`);
      return;
    }
    if (sa.mode !== sb.mode) out.push(`${rel}: mode ${sa.mode.toString(8)} vs ${sb.mode.toString(8)}`);
    const link = sa.isSymbolicLink();
    if (!link || o.symlinkTimes) {
      const sec = (ns: bigint): bigint => (ns - (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n)) / 1_000_000_000n;
      const same = o.mtime === 'ns' ? sa.mtimeNs === sb.mtimeNs : sec(sa.mtimeNs) - (sec(sa.mtimeNs) & 1n) === sec(sb.mtimeNs);
      if (!same) out.push(`${rel}: mtime ${sa.mtimeNs} vs ${sb.mtimeNs}`);
    }
    if (link) {
      if (readlinkSync(pa) !== readlinkSync(pb)) out.push(`${rel}: target ${readlinkSync(pa)} vs ${readlinkSync(pb)}`);
    } else if (sa.isFile()) {
      if (!readFileSync(pa).equals(readFileSync(pb))) out.push(`${rel}: contents differ`);
    } else if (sa.isDirectory()) {
      const na = readdirSync(pa).sort();
      const nb = readdirSync(pb).sort();
      if (na.join('/') !== nb.join('/')) out.push(`${rel}: entries [${na}] vs [${nb}]`);
      for (const n of na) if (nb.includes(n)) walk(join(rel, n));
    }
  };
  walk('.');
  return out;
}

/** curl over the socket writing the body to a file; status and response headers. */
async function fetchTo(d: Cairnd, path: string, file: string, headers: string[] = []): Promise<{ status: number; headers: string }> {
  const hfile = `${file}.headers`;
  const r = await curlSock(d, [...headers.flatMap((h) => ['-H', h]), '-D', hfile, '-o', file, path]);
  return { status: r.status, headers: readFileSync(hfile, 'utf8') };
}

t.test('files through cairnd', async (t) => {
  const d = await startCairnd(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  makeSource(src);
  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b.status, 200, b.text.slice(0, 300));
  const id = b.json.snapshot_id;
  const ref = (p: string): string => `${id}:${percentEncodePath(Buffer.from(join(src, p)))}`;
  const big = readFileSync(join(src, 'big.bin'));

  t.test('reader: random ranges are exact', async (t) => {
    const whole = await fetchTo(d, `/api/snapshot/reader/${ref('big.bin')}`, join(work, 'whole'));
    t.equal(whole.status, 200);
    t.ok(readFileSync(join(work, 'whole')).equals(big), 'the whole file');
    t.match(whole.headers, /accept-ranges: bytes/i);
    t.match(whole.headers, new RegExp(`content-length: ${big.length}`, 'i'));
    let x = 12345;
    const next = (n: number): number => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    for (let i = 0; i < 30; i++) {
      const a = next(big.length);
      const e = a + next(Math.min(3 * MiB, big.length - a));
      const r = await fetchTo(d, `/api/snapshot/reader/${ref('big.bin')}`, join(work, 'part'), [`Range: bytes=${a}-${e}`]);
      const got = readFileSync(join(work, 'part'));
      if (r.status !== 206 || !got.equals(big.subarray(a, e + 1)) || !r.headers.toLowerCase().includes(`content-range: bytes ${a}-${e}/${big.length}`)) {
        t.fail(`bytes=${a}-${e}: status ${r.status}, ${got.length} bytes, ${r.headers}`);
        return;
      }
    }
    t.pass('30 seeded ranges: 206, Content-Range and the exact bytes');
    const suffix = await fetchTo(d, `/api/snapshot/reader/${ref('big.bin')}`, join(work, 'part'), ['Range: bytes=-1000']);
    t.equal(suffix.status, 206);
    t.ok(readFileSync(join(work, 'part')).equals(big.subarray(big.length - 1000)), 'a suffix range');
    const open = await fetchTo(d, `/api/snapshot/reader/${ref('big.bin')}`, join(work, 'part'), [`Range: bytes=${big.length - 10}-`]);
    t.equal(open.status, 206);
    t.ok(readFileSync(join(work, 'part')).equals(big.subarray(big.length - 10)), 'an open range');
    const head = await curlSock(d, ['-I', '-H', 'Range: bytes=10-19', `/api/snapshot/reader/${ref('big.bin')}`]);
    t.equal(head.status, 206, 'HEAD answers as GET would');
    t.match(head.stdout, /content-length: 10\r\n/i);
    t.match(head.stdout, new RegExp(`content-range: bytes 10-19/${big.length}`, 'i'));
    const multi = await fetchTo(d, `/api/snapshot/reader/${ref('big.bin')}`, join(work, 'part'), ['Range: bytes=0-1,5-6']);
    t.equal(multi.status, 200, 'several ranges: the whole file');
    t.ok(readFileSync(join(work, 'part')).equals(big));
  });

  t.test('reader: 416, download, render, refusals', async (t) => {
    const r416 = await curlSock(d, ['-D', '-', '-H', `Range: bytes=${big.length}-`, `/api/snapshot/reader/${ref('big.bin')}`]);
    t.equal(r416.status, 416);
    t.match(r416.stdout, new RegExp(`content-range: bytes \\*/${big.length}`, 'i'));
    const body = r416.stdout.slice(r416.stdout.indexOf('\r\n\r\n') + 4);
    isError(t, { status: r416.status, json: JSON.parse(body), text: body }, 416, 'invalid_params', 'unsatisfiable range');

    const dl = await curlSock(d, ['-D', '-', '-o', '/dev/null', `/api/snapshot/reader/${ref('café.txt')}?download=true`]);
    t.equal(dl.status, 200);
    t.match(dl.stdout, /content-disposition: attachment; filename="caf_.txt"; filename\*=UTF-8''caf%C3%A9\.txt/i);
    const inline = await curlSock(d, ['-D', '-', '-o', '/dev/null', `/api/snapshot/reader/${ref('hello.txt')}`]);
    t.notMatch(inline.stdout, /content-disposition/i, 'no attachment without download=true');
    t.match(inline.stdout, /content-type: text\/plain/i, 'a type from the name');

    for (const mode of ['code', 'text', 'text_styled', 'auto']) {
      const page = await curlSock(d, ['-D', '-', `/api/snapshot/reader/${ref('page.js')}?render=${mode}`]);
      t.equal(page.status, 200, `render=${mode}`);
      t.match(page.stdout, /content-type: text\/html/i);
      t.match(page.stdout, /content-security-policy: default-src 'none'/i);
      t.notMatch(page.stdout, /<script/i, `render=${mode}: no <script> survives`);
      t.notMatch(page.stdout, /"<\/pre>"/, `render=${mode}: the file's </pre> is escaped`);
      const text = page.stdout.replace(/<\/?span[^>]*>/g, '');
      t.match(text, /(&lt;|&#60;)script(&gt;|&#62;)/, `render=${mode}: shown escaped`);
    }
    const code = await get(d, `/api/snapshot/reader/${ref('page.js')}?render=code`);
    t.match(code.text, /class="hljs-keyword"/, 'render=code highlights');
    const bad = await get(d, `/api/snapshot/reader/${ref('page.js')}?render=pdf`);
    isError(t, bad, 400, 'invalid_params', 'an unknown render mode');

    // (archives write names as text: a name that is not UTF-8 gets U+FFFD, so it is not in src)
    const rawDir = join(work, 'raw');
    mkdirSync(rawDir);
    writeFileSync(Buffer.concat([Buffer.from(join(rawDir, 'raw-')), Buffer.from([0xff])]), 'a name that is not UTF-8\n');
    const rb = await post<BackupResult>(d, '/api/snapshots/create', { source: rawDir });
    const raw = await get(d, `/api/snapshot/reader/${rb.json.snapshot_id}:${percentEncodePath(Buffer.from(rawDir))}/raw-%FF`);
    t.equal(raw.status, 200, 'a name whose escape is not UTF-8 is served');
    t.equal(raw.text, 'a name that is not UTF-8\n');
    isError(t, await get(d, `/api/snapshot/reader/${ref('sub')}/%2e%2e/big.bin`), 400, 'invalid_params', 'an encoded ..');
    isError(t, await get(d, `/api/snapshot/reader/${ref('big.bin')}%00`), 400, 'invalid_params', 'a NUL');
    isError(t, await get(d, `/api/snapshot/reader/${ref('sub')}`), 400, 'invalid_params', 'a directory');
    isError(t, await get(d, `/api/snapshot/reader/${id}`), 400, 'invalid_params', 'the root');
    isError(t, await get(d, `/api/snapshot/reader/${ref('link')}`), 400, 'invalid_params', 'a symlink');
    isError(t, await get(d, `/api/snapshot/reader/${ref('nope')}`), 404, 'not-found', 'a missing path');
    isError(t, await get(d, `/api/files/digest/${ref('sub')}`), 400, 'invalid_params', 'digest of a directory');
    isError(t, await get(d, `/api/files/cat/${ref('empty-dir')}`), 400, 'invalid_params', 'cat of a directory');
  });

  t.test('reader: a signed URL over TCP without a token', async (t) => {
    const signed = await post<{ url: string }>(d, `/api/snapshot/reader-sign-url/${ref('big.bin')}`, {});
    t.equal(signed.status, 200, signed.text.slice(0, 300));
    const file = join(work, 'signed');
    const r = await new Promise<number>((resolve) => {
      execFile('curl', ['-sS', '-o', file, '-w', '%{http_code}', '-H', 'Range: bytes=5-9', `http://${d.tcp}${signed.json.url}`], (_e, out) => resolve(Number(out)));
    });
    t.equal(r, 206, 'served by the signature');
    t.ok(readFileSync(file).equals(big.subarray(5, 10)));
  });

  t.test('cat: plain, decompressed, highlighted', async (t) => {
    const plain = await get(d, `/api/files/cat/${ref('hello.txt')}`);
    t.equal(plain.status, 200);
    t.equal(plain.text, TEXT);
    t.equal((await get(d, `/api/files/cat/${ref('text.gz')}?decompress=true`)).text, TEXT, '.gz decompressed');
    t.equal((await get(d, `/api/files/cat/${ref('text.zst')}?decompress=true`)).text, TEXT, '.zst decompressed');
    isError(t, await get(d, `/api/files/cat/${ref('hello.txt')}?decompress=true`), 422, 'unprocessable', 'decompress of plain text');
    const hl = await get(d, `/api/files/cat/${ref('page.js')}?highlight=true`);
    t.match(hl.text, /\x1b\[\d+m/, 'ANSI colours');
    t.equal(hl.text.replace(/\x1b\[\d+m/g, ''), CODE, 'the same text under the colours');
  });

  t.test('digest: all four algorithms against node:crypto', async (t) => {
    for (const [alg, node] of [['SHA256', 'sha256'], ['SHA1', 'sha1'], ['MD5', 'md5'], ['BLAKE2B', 'blake2b512']] as const) {
      const r = await get<Digest>(d, `/api/files/digest/${ref('big.bin')}?algorithm=${alg}`);
      t.equal(r.status, 200, alg);
      t.same(r.json, { path: join(src, 'big.bin'), algorithm: alg, digest: createHash(node).update(big).digest('hex'), size: big.length }, alg);
    }
    const def = await get<Digest>(d, `/api/files/digest/${ref('empty')}`);
    t.equal(def.json.algorithm, 'SHA256', 'SHA256 by default');
    t.equal(def.json.digest, createHash('sha256').digest('hex'), 'an empty file');
    isError(t, await get(d, `/api/files/digest/${ref('big.bin')}?algorithm=CRC32`), 400, 'invalid_params', 'an unknown algorithm');
  });

  t.test('archives unpack identical to a restore', async (t) => {
    const restored = join(work, 'restored');
    const r = await post<RestoreResult>(d, `/api/snapshots/${id}/restore`, { destination: restored, paths: [src] });
    t.equal(r.status, 200, r.text.slice(0, 300));
    t.same(r.json.errors, []);
    const cases: Array<[string, string[], CompareOptions]> = [
      ['zip', ['unzip', '-q'], { mtime: 'dos', symlinkTimes: false }],
      ['tar', ['tar', '-xf'], { mtime: 'ns', symlinkTimes: true }],
      ['tar.gz', ['tar', '-xzf'], { mtime: 'ns', symlinkTimes: true }],
      ['tar.zst', ['tar', '--zstd', '-xf'], { mtime: 'ns', symlinkTimes: true }],
    ];
    for (const [format, unpack, o] of cases) {
      const prep = await post<DownloaderResult>(d, `/api/snapshot/vfs/downloader/${id.slice(0, 8)}`, { files: [src], format, rebase: false });
      t.equal(prep.status, 200, `${format}: prepared (${prep.text.slice(0, 200)})`);
      t.match(prep.json.download_id, /^[0-9a-f]{32}$/, '128 random bits');
      t.equal(prep.json.id, prep.json.download_id);
      const file = join(work, `archive.${format}`);
      const got = await fetchTo(d, prep.json.download_url, file);
      t.equal(got.status, 200, `${format}: streamed`);
      t.match(got.headers, new RegExp(`content-disposition: attachment; filename="cairn-${id.slice(0, 8)}\\.${format.replace('.', '\\.')}"`, 'i'));
      const out = join(work, `unpacked-${format}`);
      mkdirSync(out);
      execFileSync(unpack[0]!, [...unpack.slice(1), file], { cwd: out });
      t.same(treeDiffs(join(restored, src), join(out, src), o), [], `${format}: identical to the restore`);
    }
  });

  t.test('rebase, Plakar\'s items, tarball, single use, unknown ids', async (t) => {
    const prep = await post<DownloaderResult>(d, `/api/snapshot/vfs/downloader/${id}`,
      { items: [{ pathname: join(src, 'sub') }, { pathname: join(src, 'hello.txt') }], single_use: true });
    t.equal(prep.status, 200, prep.text);
    const file = join(work, 'rebased.tgz');
    const url = `/api/snapshot/vfs/downloader-sign-url/${prep.json.download_id}?format=tarball&name=mine`;
    const first = await fetchTo(d, url, file);
    t.equal(first.status, 200);
    t.match(first.headers, /filename="mine\.tar\.gz"/);
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    t.ok(listing.includes('hello.txt') && listing.includes('run.sh') && listing.includes('deeper/'), `rebased: ${listing.join(' ')}`);
    t.notOk(listing.some((n) => n.startsWith('sub/') || n.includes(src.slice(1))), 'no absolute paths, no sub/ prefix');
    isError(t, await get(d, url), 404, 'not-found', 'a single-use download, used twice');
    const again = await post<DownloaderResult>(d, `/api/snapshot/vfs/downloader/${id}`, { files: [join(src, 'hello.txt')], format: 'tar', single_use: true });
    const headOnly = await curlSock(d, ['-I', again.json.download_url]);
    t.equal(headOnly.status, 200, 'HEAD of a download');
    t.match(headOnly.stdout, /content-type: application\/x-tar/i);
    t.equal((await fetchTo(d, again.json.download_url, join(work, 'after-head.tar'))).status, 200, 'a HEAD does not use a single-use download');
    isError(t, await get(d, `/api/snapshot/vfs/downloader-sign-url/${'0'.repeat(32)}?format=zip`), 404, 'not-found', 'an unknown id');

    const noFormat = await post<DownloaderResult>(d, `/api/snapshot/vfs/downloader/${id}`, { files: [join(src, 'hello.txt')] });
    isError(t, await get(d, noFormat.json.download_url), 400, 'invalid_params', 'no format at creation nor in the URL');
    isError(t, await post(d, `/api/snapshot/vfs/downloader/${id}`, { files: [join(src, 'missing')] }), 404, 'not-found', 'a missing path');
    isError(t, await post(d, `/api/snapshot/vfs/downloader/${id}`, { files: [src, join(src, 'sub')] }), 400, 'invalid_params', 'nested paths');
    isError(t, await post(d, `/api/snapshot/vfs/downloader/${id}`, { files: ['/../etc'] }), 400, 'invalid_params', 'a .. component');
    isError(t, await post(d, `/api/snapshot/vfs/downloader/${id}`, { format: 'rar' }), 400, 'invalid_params', 'an unknown format');
    isError(t, await post(d, '/api/snapshot/vfs/downloader/ffffffff', {}), 404, 'not-found', 'an unknown snapshot');
  });

  t.test('the CLI: cat, digest, download', async (t) => {
    const c = await cairn(d, ['cat', `${id}:${join(src, 'hello.txt')}`]);
    t.equal(c.code, 0, c.stderr);
    t.equal(c.stdout, TEXT, 'cat prints the file (no colours: not a terminal)');
    const z = await cairn(d, ['cat', '--decompress', `${id}:${join(src, 'text.zst')}`]);
    t.equal(z.stdout, TEXT, 'cat --decompress');
    const hl = await cairn(d, ['cat', '--highlight', `${id}:${join(src, 'page.js')}`]);
    t.match(hl.stdout, /\x1b\[/, 'cat --highlight colours');
    const dg = await cairn(d, ['digest', '--algorithm', 'md5', `${id}:${join(src, 'big.bin')}`]);
    t.equal(dg.stdout, `${createHash('md5').update(big).digest('hex')}  ${join(src, 'big.bin')}\n`);
    const out = join(work, 'cli.tar.zst');
    const dl = await cairn(d, ['download', `${id}:${join(src, 'sub')}`, '-o', out]);
    t.equal(dl.code, 0, dl.stderr);
    const unpacked = join(work, 'cli-unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['--zstd', '-xf', out], { cwd: unpacked });
    t.same(treeDiffs(join(work, 'restored', src, 'sub'), unpacked, { mtime: 'ns', symlinkTimes: true })
      .filter((x) => !x.startsWith('.: mode') && !x.startsWith('.: mtime')), [], 'download -o: the format from the name, rebased');
    const usage = await cairn(d, ['cat', id]);
    t.equal(usage.code, 2, 'cat without a path is a usage error');
  });
});
