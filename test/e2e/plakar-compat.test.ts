// Clients written for the Plakar REST API work unchanged against cairnd on TCP with a
// bearer token (issue 4 acceptance). The requests below are the ones those clients make,
// byte for byte in path, query names and bodies, and each assertion reads only the fields
// the client reads. Modelled on:
//   - the "Plakar RESTful API Guide" (the API.md source): its Python `PlakarAPI` class
//     (requests: create_repository, get_repository_info, create_backup, list_snapshots with
//     `since=datetime.isoformat()`, restore_snapshot, check_snapshot, browse_snapshot,
//     search_files, locate_files with repeated `patterns`, get_file_digest, download_file,
//     run_maintenance, locate_pathname), its JavaScript `PlakarAPI` (axios: listSnapshots,
//     searchFiles, createDownloadPackage) and its Bash `api_call` script (jq reads), plus its
//     curl examples for diff (`?recursive=true&highlight=true`) and signed reader URLs;
//   - PlakarKorp/plakar api/api.go, api/api_repository.go and api/api_snapshot.go (the
//     routes the Plakar UI calls and their query names: offset, limit, sort, importer,
//     since; importerType/importerOrigin/importerDirectory/resource; pattern, recursive,
//     mime; the downloader body `{name, items:[{pathname}], rebase}` answered `{id}`, then
//     GET downloader-sign-url/{id}?format=tarball&name=… without a token; reader
//     `?download=true`, `?render=code`, `?signature=` from reader-sign-url's `item.signature`).
// Rate limits stay at their defaults: a Plakar client does not know about them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startCairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Plakar client reads untyped JSON
type Json = Record<string, any>;

t.test('a Plakar REST client, unchanged, over TCP with a bearer token', async (t) => {
  const d = await startCairnd(t);
  const base = `http://${d.tcp}`;
  const headers = { Authorization: `Bearer ${d.token()}` };
  const work = tmpDir(t);
  const docs = join(work, 'home', 'user', 'documents');
  mkdirSync(join(docs, 'sub'), { recursive: true });
  writeFileSync(join(docs, 'important.txt'), 'version one\n');
  writeFileSync(join(docs, 'report.pdf'), '%PDF-1.4 report');
  writeFileSync(join(docs, 'letter.doc'), 'a letter');
  writeFileSync(join(docs, 'script.py'), 'def f():\n    return "<b>"\n');
  writeFileSync(join(docs, 'app.log'), 'a log line\n');
  writeFileSync(join(docs, 'sub', 'app.conf'), 'key = value\n');

  // requests.get/post(url, headers=…, params=…, json=…) → response.json()
  const get = async (path: string, params?: Record<string, string | number | string[]>): Promise<Json> => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params ?? {})) for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
    const url = `${base}${path}${q.size ? `?${q}` : ''}`;
    const r = await fetch(url, { headers });
    t.equal(r.status, 200, `GET ${path}: 200`);
    return await r.json() as Json;
  };
  const post = async (path: string, body?: unknown, method = 'POST'): Promise<Json> => {
    const r = await fetch(`${base}${path}`, {
      method, headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    t.equal(r.status, 200, `${method} ${path}: 200 (${text.slice(0, 300)})`);
    return JSON.parse(text) as Json;
  };

  // Python: create_repository(location, passphrase, hashing='SHA256', plaintext=False)
  const repo = await post('/api/repository/create', { location: `fs:${join(work, 'my-repo')}`, passphrase: 'secure-passphrase', hashing: 'SHA256', plaintext: false });
  t.type(repo.repository_id, 'string', "repo_info['repository_id']");

  // Python: create_backup(source, tags, excludes, concurrency=4, check=True)
  const backup = await post('/api/snapshots/create', { source: docs, tags: ['documents', 'personal'], excludes: ['*.tmp', '*.log'], concurrency: 4, check: true });
  t.match(backup.snapshot_id, /^[0-9a-f]{64}$/, "backup_result['snapshot_id']");
  writeFileSync(join(docs, 'important.txt'), 'version two\n');
  const backup2 = await post('/api/snapshots/create', { source: docs, tags: [], excludes: [], concurrency: 4, check: false });
  const [s1, s2] = [backup.snapshot_id as string, backup2.snapshot_id as string];

  t.test('repository info and snapshot lists', async (t) => {
    // Python get_repository_info; JS getRepositoryInfo; bash `jq '.item.snapshots'`.
    const info = await get('/api/repository/info');
    t.equal(info.item.snapshots.total, 2, "info['item']['snapshots']['total']");
    t.type(info.item.snapshots.efficiency, 'number', "info['item']['snapshots']['efficiency']");
    t.type(info.item.snapshots.storage_size, 'number', "info['item']['snapshots']['storage_size']");
    t.ok(Array.isArray(info.item.snapshots.snapshots_per_day));
    t.ok(info.item.configuration.repository_id && info.item.os && info.item.arch);
    // Python list_snapshots(limit=10, since=datetime.now() - timedelta(days=7)): isoformat() has
    // microseconds and no offset.
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString().replace('Z', '123');
    const list = await get('/api/repository/snapshots', { limit: 10, since });
    t.equal(list.items.length, 2);
    for (const s of list.items) t.ok(typeof s.id === 'string' && typeof s.timestamp === 'string', "snapshot['id'], snapshot['timestamp']");
    // JS listSnapshots({limit, since, importer}); the UI's offset/limit/sort/importer.
    const fs = await get('/api/repository/snapshots', { limit: 5, importer: 'fs' });
    t.equal(fs.items.length, 2, 'importer=fs');
    const ui = await get('/api/repository/snapshots', { offset: 1, limit: 1, sort: '-Timestamp' });
    t.same([ui.total, ui.items.length, ui.items[0].id], [2, 1, s1], 'offset, limit, sort=-Timestamp');
    // bash: `.items[] | "\(.id[0:8]) - \(.timestamp) - \(.summary.files) files"`, `.items[0].id`
    const latest = await get('/api/repository/snapshots', { limit: 1, sort: '-Timestamp' });
    t.equal(latest.items[0].id, s2);
    t.equal(latest.items[0].summary.files, 6);
    // The UI's snapshot header and importer types.
    const header = await get(`/api/snapshot/${s1}`);
    t.equal(header.item.id, s1);
    t.ok(header.item.importer && header.item.summary, 'item.importer, item.summary');
    const types = await get('/api/repository/importer-types');
    t.ok(types.items.some((i: Json) => i.name === 'fs'), 'items[].name');
    const me = await get('/api/info');
    t.same(Object.keys(me).sort(), ['authenticated', 'browsable', 'demo_mode', 'repository_id', 'version']);
  });

  t.test('browse, search, locate', async (t) => {
    // Python browse_snapshot(id): /api/snapshot/vfs/{id} (no path) → contents.get('children', [])
    const root = await get(`/api/snapshot/vfs/${s2}`);
    t.ok(Array.isArray(root.children) && root.children.length > 0, "contents.get('children')");
    const dir = await get(`/api/snapshot/vfs/${s2}:${docs}`);
    t.equal(dir.item.type, 'directory');
    t.equal(dir.children.length, 6);
    // The UI's children listing: offset, limit, sort (Plakar's sort keys).
    const kids = await get(`/api/snapshot/vfs/children/${s2}:${docs}`, { offset: 0, limit: 2, sort: '-Name' });
    t.same(kids.items.map((e: Json) => e.name), ['sub', 'script.py']);
    t.equal(kids.total, 6);
    for (const e of kids.items) t.ok(e.file_info && typeof e.file_info.mode === 'number', 'file_info in Plakar\'s shape');
    // Python search_files(id, pattern, path, limit) / JS searchFiles / bash `.items[] | .path, .size`
    const pdfs = await get(`/api/snapshot/vfs/search/${s2}:${docs}`, { pattern: '*.pdf', limit: 100 });
    t.same(pdfs.items.map((e: Json) => [e.path, e.size]), [[join(docs, 'report.pdf'), 15]]);
    const confs = await get(`/api/snapshot/vfs/search/${s2}`, { pattern: '*.conf', limit: 10 });
    t.same(confs.items.map((e: Json) => e.path), [join(docs, 'sub', 'app.conf')], 'search from the root');
    const ui = await get(`/api/snapshot/vfs/search/${s2}:${docs}`, { pattern: '*', recursive: 'true', mime: 'application/pdf' });
    t.same(ui.items.map((e: Json) => e.name), ['report.pdf'], 'pattern, recursive, mime');
    const errors = await get(`/api/snapshot/vfs/errors/${s2}:${docs}`, { offset: 0, limit: 50, sort: 'Name' });
    t.same([errors.total, errors.items], [0, []]);
    const chunks = await get(`/api/snapshot/vfs/chunks/${s2}:${join(docs, 'report.pdf')}`, { offset: 0, limit: 50 });
    t.ok(chunks.items.length >= 1 && typeof chunks.items[0].contentMAC === 'string', 'items[].contentMAC');
    // Python locate_files(['*.pdf', '*.doc']) → len(matches['matches'])
    const found = await get('/api/search/locate', { patterns: ['*.pdf', '*.doc'], limit: 100 });
    t.equal(found.matches.length, 4, 'two files in two snapshots');
    // locate_pathname(resource, since, limit) → items[].snapshot.id / .timestamp; the UI's filters
    const versions = await get('/api/repository/locate-pathname', { resource: join(docs, 'important.txt'), limit: 10, sort: '-Timestamp' });
    t.same(versions.items.map((v: Json) => v.snapshot.id), [s2, s1]);
    t.ok(versions.items.every((v: Json) => typeof v.snapshot.timestamp === 'string' && v.vfs_entry.name === 'important.txt'));
    const filtered = await get('/api/repository/locate-pathname', {
      resource: join(docs, 'important.txt'), importerType: 'fs', importerOrigin: hostname(), importerDirectory: docs, offset: 0, limit: 50,
    });
    t.equal(filtered.total, 2, 'importerType, importerOrigin, importerDirectory');
  });

  t.test('file reads, digest, downloads', async (t) => {
    const file = join(docs, 'important.txt');
    // Python download_file: GET reader with the token, streamed to a file.
    const r = await fetch(`${base}/api/snapshot/reader/${s1}:${file}`, { headers });
    t.equal(await r.text(), 'version one\n');
    const dl = await fetch(`${base}/api/snapshot/reader/${s1}:${file}?download=true`, { headers });
    t.match(dl.headers.get('content-disposition'), /^attachment/);
    await dl.arrayBuffer();
    const code = await fetch(`${base}/api/snapshot/reader/${s2}:${join(docs, 'script.py')}?render=code`, { headers });
    const html = await code.text();
    t.match(code.headers.get('content-type'), /^text\/html/);
    t.match(html, /&lt;b&gt;/, 'escaped');
    // The UI: POST reader-sign-url (no body) → item.signature; GET reader?signature=… without a token.
    const signed = await post(`/api/snapshot/reader-sign-url/${s1}:${file}`);
    t.type(signed.item.signature, 'string');
    const bySig = await fetch(`${base}${signed.url}`);
    t.equal(bySig.status, 200);
    t.equal(await bySig.text(), 'version one\n', 'a signed URL needs no token');
    // curl examples: files/cat with highlight / decompress; Python get_file_digest.
    const cat = await fetch(`${base}/api/files/cat/${s2}:${file}?highlight=true`, { headers });
    t.equal(cat.status, 200);
    t.match(await cat.text(), /version two/);
    const digest = await get(`/api/files/digest/${s2}:${file}`, { algorithm: 'SHA256' });
    t.same([digest.path, digest.algorithm, digest.size], [file, 'SHA256', 12]);
    t.match(digest.digest, /^[0-9a-f]{64}$/);
    // JS createDownloadPackage / bash: {files, format:'zip', rebase:true} → download_url
    const pkg = await post(`/api/snapshot/vfs/downloader/${s2}`, { files: [docs], format: 'zip', rebase: true });
    t.type(pkg.download_url, 'string');
    const zip = await fetch(new URL(pkg.download_url, base));
    t.equal(zip.status, 200);
    t.equal(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString(), 'PK', 'a zip');
    // The UI: {name, items:[{pathname}], rebase} → {id}; GET downloader-sign-url/{id}?format=tarball&name=… (no token)
    const ui = await post(`/api/snapshot/vfs/downloader/${s2}`, { name: 'docs', items: [{ pathname: file }], rebase: true });
    t.type(ui.id, 'string');
    const tgz = await fetch(`${base}/api/snapshot/vfs/downloader-sign-url/${ui.id}?format=tarball&name=docs`);
    t.equal(tgz.status, 200);
    t.match(tgz.headers.get('content-disposition'), /docs\.tar\.gz/);
    const gz = Buffer.from(await tgz.arrayBuffer());
    t.same([gz[0], gz[1]], [0x1f, 0x8b], 'gzip');
  });

  t.test('restore, check, diff, maintenance', async (t) => {
    // Python restore_snapshot(id, destination, paths, skip_permissions) → restored_files
    const dest = join(work, 'recovery');
    const file = join(docs, 'important.txt');
    const restored = await post(`/api/snapshots/${s1}/restore`, { destination: dest, paths: [file], skip_permissions: false });
    t.equal(restored.restored_files, 1, "restore_result['restored_files']");
    t.equal(readFileSync(join(dest, file), 'utf8'), 'version one\n');
    // Python check_snapshot(id, paths=[], fast=False, concurrency=4) → status == 'success'; the guide's no_verify
    const checked = await post(`/api/snapshots/${s2}/check`, { paths: [], fast: false, concurrency: 4 });
    t.equal(checked.status, 'success', "check_result['status']");
    const fast = await post(`/api/snapshots/${s1}/check`, { fast: true, no_verify: false, concurrency: 4 });
    t.equal(fast.status, 'success');
    // curl example: diff ?recursive=true&highlight=true
    const diff = await get(`/api/snapshots/${s1}/diff/${s2}`, { recursive: 'true', highlight: 'true' });
    t.ok(diff.items.some((i: Json) => i.path === file && i.change === 'modified'), 'items[].path, change');
    t.type(diff.summary.modified, 'number');
    // Python run_maintenance(['cleanup', 'verify_integrity']) → cleaned_objects
    const m = await post('/api/repository/maintenance', { operations: ['cleanup', 'verify_integrity'] });
    t.type(m.cleaned_objects, 'number', "maintenance_result['cleaned_objects']");
    t.same(m.errors, []);
  });
});

