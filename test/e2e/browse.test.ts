// Browsing through a real cairnd with curl on its socket: diff (summary, items, paging, one
// level, path_b, unified diffs and their notes), vfs search (globs, exact names, mime,
// paging, bad globs), vfs errors (sorting, paging), a file's chunks, every version of a
// path, locate across snapshots, importer types; unknown and malformed input answered
// with API.md's error body; and the CLI commands (diff, find, locate, versions, errors).
// Root reads anything, so as root the daemon runs as nobody (65534) to meet unreadable files.
import t from 'tap';
import { chmodSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BackupResult, ChunkList, DiffResult, ErrorList, ImporterTypes, LocatePathnameResult, LocateResult, SearchResult,
} from '../../shared/schemas/index.js';
import { cairn } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { prng } from '../helpers/tree.js';
import { get, healthy, isError, post, startCairndAsNobody } from './api.js';

const enc = encodeURIComponent;

t.test('browse routes and commands', async (t) => {
  const { d } = await startCairndAsNobody(t);
  const work = tmpDir(t);
  chmodSync(work, 0o755);
  const src = join(work, 'src');
  const S = Buffer.from(src);
  for (const sub of ['docs', 'pics', 'many', 'locked']) mkdirSync(join(src, sub), { recursive: true });
  writeFileSync(join(src, 'docs', 'report.pdf'), '%PDF-1.4 report');
  writeFileSync(join(src, 'docs', 'letter.doc'), 'a letter');
  writeFileSync(join(src, 'docs', 'notes.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(src, 'docs', 'image.png'), 'not really a png');
  writeFileSync(join(src, 'pics', 'a.png'), 'png a');
  writeFileSync(join(src, 'pics', 'b.jpg'), 'jpg b');
  for (let i = 0; i < 120; i++) writeFileSync(join(src, 'many', `f${String(i).padStart(3, '0')}.txt`), `${i}`);
  writeFileSync(Buffer.concat([S, Buffer.from('/bad\xff.txt', 'latin1')]), 'invalid utf-8 name');
  writeFileSync(join(src, 'bin.dat'), Buffer.from([0, 1, 2, 3, 0, 0, 255]));
  writeFileSync(join(src, 'big.txt'), Buffer.from(prng(5, 5 << 20).map((b) => 0x61 + (b % 26))));
  writeFileSync(join(src, 'secret'), 'unreadable');
  writeFileSync(join(src, 'locked', 'inside'), 'below an unreadable directory');
  chmodSync(join(src, 'secret'), 0o000);
  chmodSync(join(src, 'locked'), 0o000);
  t.teardown(() => chmodSync(join(src, 'locked'), 0o755)); // before the removal (teardowns run last first)

  const b1 = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b1.status, 200, b1.text.slice(0, 300));
  t.equal(b1.json.summary.errors, 2, 'two unreadable entries');
  writeFileSync(join(src, 'docs', 'notes.txt'), 'one\n2\nthree\nfour\n');
  writeFileSync(join(src, 'docs', 'new.pdf'), '%PDF-1.4 new');
  unlinkSync(join(src, 'docs', 'letter.doc'));
  chmodSync(join(src, 'pics', 'a.png'), 0o604); // still readable by the daemon (nobody)
  writeFileSync(join(src, 'bin.dat'), Buffer.from([0, 1, 2, 4, 0, 0, 255]));
  writeFileSync(join(src, 'big.txt'), 'now small\n');
  writeFileSync(Buffer.concat([S, Buffer.from('/new\xe9.txt', 'latin1')]), 'an added invalid utf-8 name');
  chmodSync(join(src, 'secret'), 0o644);
  const b2 = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b2.status, 200, b2.text.slice(0, 300));
  const s1 = b1.json.snapshot_id;
  const s2 = b2.json.snapshot_id;
  const p = (rel: string): string => enc(`${src}${rel}`);

  t.test('diff', async (t) => {
    const r = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2.slice(0, 8)}?path=${p('')}&limit=1000`);
    t.equal(r.status, 200, r.text.slice(0, 300));
    const changes = r.json.items.map((i) => `${i.change} ${i.path.slice(src.length)}`);
    t.same(changes.sort(), [
      'added /docs/new.pdf', 'added /new\ufffd.txt', 'metadata /docs', 'metadata /pics/a.png', 'modified /big.txt',
      'modified /bin.dat', 'modified /docs/notes.txt', 'modified /secret', 'removed /docs/letter.doc',
    ].sort(), 'every change (a file readable now: modified; a directory with an entry more: a new mtime)');
    t.same(r.json.summary, {
      added: 2, removed: 1, modified: 4, metadata: 2,
      bytes_added: 12 + 27 + (17 - 14), bytes_removed: 8 + (5 << 20) - 10,
    });
    t.equal(r.json.total, 9);
    t.equal(r.json.has_next, false);
    const added = r.json.items.find((i) => i.path.includes('new\ufffd'))!;
    t.equal(added.path_raw, `${encodeURI(src)}/new%E9.txt`, 'path_raw keeps the bytes');
    t.equal(added.before, null);
    t.equal(added.after?.size, 27);
    const notes = r.json.items.find((i) => i.path.endsWith('notes.txt'))!;
    t.equal(notes.before?.size, 14);
    t.equal(notes.after?.size, 17);
    t.equal(r.json.unified, undefined, 'no unified diff without highlight');

    const page = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('')}&offset=2&limit=3`);
    t.same(page.json.items.map((i) => i.path), r.json.items.slice(2, 5).map((i) => i.path), 'a page of items');
    t.equal(page.json.total, 9);
    t.equal(page.json.has_next, true);
    t.same(page.json.summary, r.json.summary, 'the summary counts them all');

    const one = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('')}&recursive=false`);
    t.same(one.json.items.map((i) => `${i.change} ${i.path.slice(src.length)}`), [
      'modified /big.txt', 'modified /bin.dat', 'modified /docs', 'added /new\ufffd.txt', 'modified /pics', 'modified /secret',
    ], 'one level');

    const whole = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/latest`);
    t.equal(whole.status, 200);
    t.ok(whole.json.total >= 9, 'the whole snapshots (the directories above the source too)');
    const ab = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/docs')}&path_b=${p('/pics')}`);
    t.ok(ab.json.items.some((i) => i.change === 'removed' && i.path.endsWith('/docs/report.pdf')), 'path_b: another path in b');
    t.ok(ab.json.items.some((i) => i.change === 'added' && i.path.endsWith('/pics/b.jpg')));
    const raw = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('')}/new%E9.txt`);
    t.equal(raw.status, 200, 'a path whose escapes are not UTF-8 is served');
    t.same(raw.json.items.map((i) => i.change), ['added']);
  });

  t.test('unified diffs', async (t) => {
    const u = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/docs/notes.txt')}&highlight=true`);
    t.equal(u.status, 200, u.text.slice(0, 300));
    t.equal(u.json.unified, [
      '===================================================================',
      `--- a${src}/docs/notes.txt`, `+++ b${src}/docs/notes.txt`,
      '@@ -1,3 +1,4 @@', ' one', '-two', '+2', ' three', '+four', '',
    ].join('\n'));
    const added = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/docs/new.pdf')}&highlight=true`);
    t.match(added.json.unified, /--- \/dev\/null\n\+\+\+ b.*new\.pdf\n@@ -0,0 \+1(,1)? @@\n\+%PDF-1\.4 new/, 'an added file against nothing');
    const bin = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/bin.dat')}&highlight=true`);
    t.equal(bin.json.unified, undefined);
    t.match(bin.json.note, /binary/);
    const big = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/big.txt')}&highlight=true`);
    t.match(big.json.note, /larger than 4194304 bytes/, 'a version over 4 MiB is not diffed');
    const dirNote = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/docs')}&highlight=true`);
    t.match(dirNote.json.note, /not a file/);
    t.equal(dirNote.json.total, 3, 'the items are still there');
    const same = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/docs/report.pdf')}&highlight=true`);
    t.equal(same.json.unified, '', 'an unchanged file: an empty diff');
  });

  t.test('diff refusals', async (t) => {
    isError(t, await get(d, `/api/snapshots/${s1}/diff/ffffffff`), 404, 'not-found', 'unknown b');
    isError(t, await get(d, `/api/snapshots/zz/diff/${s2}`), 400, 'invalid_params', 'malformed a');
    isError(t, await get(d, `/api/snapshots/${s1}%3A%2Fx/diff/${s2}`), 400, 'invalid_params', 'a with a path');
    isError(t, await get(d, `/api/snapshots/${s1}/diff/${s2}?path=/no/such/path`), 404, 'not-found', 'a path in neither');
    isError(t, await get(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('/../etc')}`), 400, 'invalid_params', 'a path with ..');
    isError(t, await get(d, `/api/snapshots/${s1}/diff/${s2}?recursive=maybe`), 400, 'invalid_params', 'a bad boolean');
    isError(t, await get(d, `/api/snapshots/${s1}/diff/${s2}?limit=0`), 400, 'invalid_params', 'limit 0');
  });

  t.test('search', async (t) => {
    const base = `/api/snapshot/vfs/search/${s2}:${src}`;
    const pdf = await get<SearchResult>(d, `${base}?pattern=${enc('*.pdf')}`);
    t.equal(pdf.status, 200, pdf.text.slice(0, 300));
    t.same(pdf.json.items.map((e) => e.path), [`${src}/docs/new.pdf`, `${src}/docs/report.pdf`]);
    t.same([pdf.json.total, pdf.json.has_next], [2, false]);
    const exact = await get<SearchResult>(d, `${base}?pattern=notes.txt`);
    t.same(exact.json.items.map((e) => e.name), ['notes.txt'], 'an exact name');
    const images = await get<SearchResult>(d, `${base}?mime=image/`);
    t.same(images.json.items.map((e) => e.name).sort(), ['a.png', 'b.jpg', 'image.png'], 'mime by prefix');
    const top = await get<SearchResult>(d, `${base}?pattern=*&recursive=false`);
    t.equal(top.json.total, 9, 'one level: the source\'s own entries');
    const p1 = await get<SearchResult>(d, `${base}/many?pattern=${enc('f*.txt')}&limit=50`);
    t.same([p1.json.total, p1.json.items.length, p1.json.has_next], [120, 50, true]);
    t.equal(p1.json.items[0]!.name, 'f000.txt');
    const p3 = await get<SearchResult>(d, `${base}/many?pattern=${enc('f*.txt')}&limit=50&offset=100`);
    t.same([p3.json.total, p3.json.items.length, p3.json.has_next], [120, 20, false]);
    t.equal(p3.json.items[0]!.name, 'f100.txt');
    const clamped = await get<SearchResult>(d, `${base}?limit=100000`);
    t.ok(clamped.json.items.length <= 1000, 'a large limit is clamped');
    const bad = await get<SearchResult>(d, `${base}?pattern=bad*`);
    t.same(bad.json.items.map((e) => e.path_raw), [`${encodeURI(src)}/bad%FF.txt`], 'invalid UTF-8 names are searched');
    const params = isError(t, await get(d, `${base}?pattern=${enc('[')}`), 400, 'invalid_params', 'an invalid glob');
    t.ok(params.pattern, 'params.pattern');
    isError(t, await get(d, `${base}?pattern=${enc('+(a|b)')}`), 400, 'invalid_params', 'an extglob');
    const hostile = await get<SearchResult>(d, `${base}?pattern=${enc('*a*a*a*a*a*a*a*a*b')}`);
    t.same([hostile.status, hostile.json.total], [200, 0], 'a pattern that backtracks in a regex answers at once');
    isError(t, await get(d, `/api/snapshot/vfs/search/${s2}:${src}/nothing?pattern=x`), 404, 'not-found', 'an unknown path');
    isError(t, await get(d, `${base}/docs/notes.txt?pattern=x`), 400, 'invalid_params', 'a file is not searched below');
    isError(t, await get(d, `/api/snapshot/vfs/search/abc?pattern=x`), 400, 'invalid_params', 'a malformed snapshot');
  });

  t.test('errors', async (t) => {
    const e = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s1}:${src}`);
    t.equal(e.status, 200, e.text.slice(0, 300));
    t.same(e.json.items.map((x) => x.name), [`${src}/locked`, `${src}/secret`], 'sorted by name');
    t.ok(e.json.items.every((x) => /EACCES|permission denied/i.test(x.error)), 'with why');
    t.equal(e.json.total, 2);
    const desc = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s1}?sort=-Name`);
    t.same(desc.json.items.map((x) => x.name), [`${src}/secret`, `${src}/locked`], '-Name, from the root');
    const paged = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s1}:${src}?offset=1&limit=1`);
    t.same([paged.json.total, paged.json.items.map((x) => x.name)], [2, [`${src}/secret`]]);
    const later = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s2}:${src}`);
    t.same(later.json.items.map((x) => x.name), [`${src}/locked`], 'the second backup read secret');
    const one = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s1}:${src}/secret`);
    t.equal(one.json.total, 1, 'a path that is itself an error');
    const none = await get<ErrorList>(d, `/api/snapshot/vfs/errors/${s1}:${src}/docs`);
    t.same(none.json, { total: 0, items: [] });
    isError(t, await get(d, `/api/snapshot/vfs/errors/${s1}?sort=Size`), 400, 'invalid_params', 'an unknown sort');
    isError(t, await get(d, `/api/snapshot/vfs/errors/${s1}:/nope`), 404, 'not-found', 'an unknown path');
  });

  t.test('chunks', async (t) => {
    const big = await get<ChunkList>(d, `/api/snapshot/vfs/chunks/${s1}:${src}/big.txt?limit=1000`);
    t.equal(big.status, 200, big.text.slice(0, 300));
    t.ok(big.json.total >= 2, `a 5 MiB file has ${big.json.total} chunks`);
    t.equal(big.json.items.reduce((n, c) => n + c.length!, 0), 5 << 20, 'their lengths add up to the size');
    t.ok(big.json.items.every((c) => /^[0-9a-f]{64}$/.test(c.contentMAC) && !c.group), 'hex ids, not in groups');
    const first = await get<ChunkList>(d, `/api/snapshot/vfs/chunks/${s1}:${src}/big.txt?limit=1&offset=1`);
    t.same(first.json.items, big.json.items.slice(1, 2), 'paged');
    const small = await get<ChunkList>(d, `/api/snapshot/vfs/chunks/${s1}:${src}/docs/notes.txt`);
    t.same(small.json.items.map((c) => [c.length, c.group]), [[14, true]], 'a small file: one chunk in a group');
    const tiny = await get<ChunkList>(d, `/api/snapshot/vfs/chunks/${s2}:${src}/many/f000.txt`);
    t.same(tiny.json.items.map((c) => c.length), [1], 'one byte, one chunk');
    isError(t, await get(d, `/api/snapshot/vfs/chunks/${s1}:${src}/docs`), 400, 'invalid_params', 'a directory');
    isError(t, await get(d, `/api/snapshot/vfs/chunks/${s1}`), 400, 'invalid_params', 'no path');
    isError(t, await get(d, `/api/snapshot/vfs/chunks/${s1}:${src}/nope`), 404, 'not-found', 'an unknown file');
  });

  t.test('locate-pathname', async (t) => {
    const url = (q: string): string => `/api/repository/locate-pathname?resource=${p('/docs/notes.txt')}${q}`;
    const v = await get<LocatePathnameResult>(d, url(''));
    t.equal(v.status, 200, v.text.slice(0, 300));
    t.same(v.json.items.map((x) => [x.snapshot.id, x.vfs_entry.size]), [[s2, 17], [s1, 14]], 'newest first');
    t.equal(v.json.items[0]!.snapshot.summary.files, b2.json.summary.files);
    t.ok(v.json.items[0]!.snapshot.timestamp);
    const asc = await get<LocatePathnameResult>(d, url('&sort=Timestamp'));
    t.same(asc.json.items.map((x) => x.snapshot.id), [s1, s2]);
    const paged = await get<LocatePathnameResult>(d, url('&offset=1&limit=1'));
    t.same([paged.json.total, paged.json.items.map((x) => x.snapshot.id)], [2, [s1]]);
    const since = await get<LocatePathnameResult>(d, url(`&since=${enc(b2.json.timestamp)}`));
    t.same(since.json.items.map((x) => x.snapshot.id), [s2], 'since');
    t.equal((await get<LocatePathnameResult>(d, url('&importerType=s3'))).json.total, 0, 'importerType');
    t.equal((await get<LocatePathnameResult>(d, url('&importerOrigin=elsewhere'))).json.total, 0, 'importerOrigin');
    t.equal((await get<LocatePathnameResult>(d, url(`&importerDirectory=${enc(src)}`))).json.total, 2, 'importerDirectory');
    const onlyNew = await get<LocatePathnameResult>(d, `/api/repository/locate-pathname?resource=${p('/docs/new.pdf')}`);
    t.same(onlyNew.json.items.map((x) => x.snapshot.id), [s2], 'a path in one snapshot');
    const raw = await get<LocatePathnameResult>(d, `/api/repository/locate-pathname?resource=${p('')}/bad%FF.txt`);
    t.equal(raw.json.total, 2, 'a resource in invalid UTF-8');
    t.equal(raw.json.items[0]!.vfs_entry.path_raw, `${encodeURI(src)}/bad%FF.txt`);
    const missing = isError(t, await get(d, '/api/repository/locate-pathname'), 400, 'invalid_params', 'no resource');
    t.same((missing.resource as { code?: string }).code, 'missing_argument');
    isError(t, await get(d, '/api/repository/locate-pathname?resource=/'), 400, 'invalid_params', 'the root');
    isError(t, await get(d, '/api/repository/locate-pathname?resource=/a/../b'), 400, 'invalid_params', '..');
    isError(t, await get(d, `${url('')}&since=yesterday`), 400, 'invalid_params', 'a bad time');
    isError(t, await get(d, `${url('')}&repository=nope`), 404, 'not-found', 'an unknown repository');
  });

  t.test('locate', async (t) => {
    const pdf = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('*.pdf')}`);
    t.equal(pdf.status, 200, pdf.text.slice(0, 300));
    t.same(pdf.json.matches.map((m) => [m.snapshot.id, m.path.slice(src.length)]),
      [[s2, '/docs/new.pdf'], [s2, '/docs/report.pdf'], [s1, '/docs/report.pdf']], 'newest snapshot first');
    t.same([pdf.json.total, pdf.json.has_next], [3, false]);
    t.equal(pdf.json.matches[0]!.size, 12);
    t.ok(pdf.json.matches[0]!.mtime && pdf.json.matches[0]!.snapshot.timestamp);
    const two = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('*.pdf')}&patterns=${enc('*.doc')}`);
    t.equal(two.json.total, 4, 'any of several patterns');
    const one = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('*.pdf')}&snapshot=${s1.slice(0, 6)}`);
    t.same(one.json.matches.map((m) => m.snapshot.id), [s1], 'one snapshot');
    const since = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('*.doc')}&since=${enc(b2.json.timestamp)}`);
    t.equal(since.json.total, 0, 'since: letter.doc is gone from the newer one');
    const limited = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('f*.txt')}&limit=5`);
    t.same([limited.json.total, limited.json.has_next], [5, true], 'stops at the limit and says so');
    const next = await get<LocateResult>(d, `/api/search/locate?patterns=${enc('f*.txt')}&limit=5&offset=118`);
    t.same(next.json.matches.map((m) => [m.snapshot.id, m.path.slice(-8)]),
      [[s2, 'f118.txt'], [s2, 'f119.txt'], [s1, 'f000.txt'], [s1, 'f001.txt'], [s1, 'f002.txt']], 'offset runs on across snapshots');
    const path = await get<LocateResult>(d, `/api/search/locate?patterns=${enc(`${src}/docs/*`)}&snapshot=${s2}`);
    t.equal(path.json.total, 4, 'a pattern with / matches paths');
    isError(t, await get(d, `/api/search/locate?patterns=${enc('{a')}`), 400, 'invalid_params', 'an invalid glob');
    isError(t, await get(d, '/api/search/locate'), 400, 'invalid_params', 'no pattern');
    const many = Array.from({ length: 101 }, (_, i) => `patterns=p${i}`).join('&');
    isError(t, await get(d, `/api/search/locate?${many}`), 400, 'invalid_params', 'more than 100 patterns');
    isError(t, await get(d, `/api/search/locate?patterns=x&snapshot=ffffffff`), 404, 'not-found', 'an unknown snapshot');
  });

  t.test('importer types and the OpenAPI document', async (t) => {
    const it = await get<ImporterTypes>(d, '/api/repository/importer-types');
    t.same(it.json, { total: 1, items: [{ name: 'fs' }] });
    const doc = await get<{ paths: Record<string, unknown> }>(d, '/api/openapi.json');
    for (const path of ['/api/snapshots/{a}/diff/{b}', '/api/snapshot/vfs/search/{ref}', '/api/snapshot/vfs/errors/{ref}',
      '/api/snapshot/vfs/chunks/{ref}', '/api/repository/locate-pathname', '/api/search/locate', '/api/repository/importer-types']) {
      t.ok(doc.json.paths[path], `OpenAPI has ${path}`);
    }
  });

  t.test('the CLI', async (t) => {
    const diff = await cairn(d, ['diff', s1, s2, '--path', src]);
    t.equal(diff.code, 0, diff.stderr);
    t.match(diff.stdout, new RegExp(`^\\+  ${src}/docs/new\\.pdf$`, 'm'));
    t.match(diff.stdout, new RegExp(`^-  ${src}/docs/letter\\.doc$`, 'm'));
    t.match(diff.stdout, new RegExp(`^M  ${src}/docs/notes\\.txt$`, 'm'));
    t.match(diff.stdout, new RegExp(`^U  ${src}/pics/a\\.png$`, 'm'));
    t.match(diff.stdout, /^2 added, 1 removed, 4 modified, 2 with new metadata \(\+42 B, -5\.000 MiB\)$/m);
    const json = await cairn(d, ['diff', s1, s2, '--path', src, '--json']);
    const api = await get<DiffResult>(d, `/api/snapshots/${s1}/diff/${s2}?path=${p('')}&limit=1000`);
    t.same(JSON.parse(json.stdout), api.json, '--json prints the API object');
    const one = await cairn(d, ['diff', s1, s2, '--path', src, '--no-recursive', '--json']);
    t.equal((JSON.parse(one.stdout) as DiffResult).total, 6, '--no-recursive');
    const uni = await cairn(d, ['diff', s1, s2, '--path', `${src}/docs/notes.txt`, '--unified']);
    t.match(uni.stdout, /^-two\n\+2\n three\n\+four$/m, '--unified prints the diff');
    const binNote = await cairn(d, ['diff', s1, s2, '--path', `${src}/bin.dat`, '--unified']);
    t.match(binNote.stderr, /binary/, 'and says why there is none');

    const find = await cairn(d, ['find', `${s2}:${src}`, '*.pdf']);
    t.equal(find.code, 0, find.stderr);
    t.match(find.stdout, /docs\/new\.pdf\n.*docs\/report\.pdf\n2 matches\n$/);
    const findJson = JSON.parse((await cairn(d, ['find', `${s2}:${src}/many`, 'f1*', '--json'])).stdout) as SearchResult;
    t.same([findJson.total, findJson.items.length], [20, 20]);
    const mime = await cairn(d, ['find', `${s2}:${src}`, '*', '--mime', 'image/']);
    t.match(mime.stdout, /3 matches/);
    const badGlob = await cairn(d, ['find', s2, '[']);
    t.equal(badGlob.code, 1);
    t.match(badGlob.stderr, /^cairn: .*invalid glob/);

    const loc = await cairn(d, ['locate', '*.pdf', '*.doc']);
    t.equal(loc.code, 0, loc.stderr);
    t.equal(loc.stdout.trim().split('\n').length, 5, 'a header and four matches');
    t.match(loc.stdout, new RegExp(`^${s1.slice(0, 8)} .* ${src}/docs/letter\\.doc$`, 'm'));
    const few = await cairn(d, ['locate', 'f*', '--limit', '3']);
    t.match(few.stderr, /stopped after 3 matches/);
    const locJson = JSON.parse((await cairn(d, ['locate', '*.pdf', '--snapshot', s1, '--json'])).stdout) as LocateResult;
    t.equal(locJson.total, 1);

    const versions = await cairn(d, ['versions', `${src}/docs/notes.txt`]);
    t.equal(versions.code, 0, versions.stderr);
    t.match(versions.stdout, new RegExp(`${s2.slice(0, 8)}[^\\n]* 17 [^\\n]*\\n${s1.slice(0, 8)}[^\\n]* 14 `));
    t.match(versions.stdout, /2 versions\n$/);
    const vJson = JSON.parse((await cairn(d, ['versions', `${src}/docs/notes.txt`, '--json'])).stdout) as LocatePathnameResult;
    t.equal(vJson.total, 2);
    t.equal((await cairn(d, ['versions', 'relative/path'])).code, 2, 'a relative path is a usage error');

    const errs = await cairn(d, ['errors', `${s1}:${src}`]);
    t.equal(errs.code, 0, errs.stderr);
    t.match(errs.stdout, new RegExp(`^${src}/locked: .*\\n${src}/secret: .*\\n2 entries could not be read\\n$`));
    const errJson = JSON.parse((await cairn(d, ['errors', s1, '--json'])).stdout) as ErrorList;
    t.equal(errJson.total, 2);
  });

  await healthy(t, d, 'the browse routes');
});
