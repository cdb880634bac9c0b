// Bad input through cairnd: each case answered with API.md's error body and the right
// status (never a crash, a hang or a stack trace), and the daemon keeps serving: a wrong
// passphrase (API and at start), a repository path that is a file, missing and relative
// sources, unreadable files (recorded in the snapshot, CLI exit 3), unknown, ambiguous and
// malformed snapshot references, bad JSON, fields of the wrong type, a restore target
// inside a backed-up path.
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BackupResult, RepositoryEntry, RestoreResult, Snapshot, SnapshotList, VfsResult,
} from '../../shared/schemas/index.js';
import { cairn, startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { get, healthy, isError, post, startCairndAsNobody } from './api.js';

/** A refusal at start: non-zero exit and one line on stderr, no stack trace. */
async function refusedAtStart(t: Test, d: Cairnd, re: RegExp, what: string): Promise<void> {
  const code = await d.exited;
  t.not(code, 0, `${what}: exits non-zero`);
  t.notMatch(d.stdout, /cairnd ready/, `${what}: never ready`);
  const lines = d.stderr.split('\n').filter((l) => l.trim() !== '');
  t.equal(lines.length, 1, `${what}: one line on stderr: ${JSON.stringify(d.stderr.slice(0, 500))}`);
  t.match(lines[0] ?? '', re, `${what}: says why`);
  t.notMatch(d.stderr, /\n\s+at /, `${what}: no stack trace`);
}

t.test('a wrong passphrase, and a repository path that is a file', async (t) => {
  const first = await startCairnd(t);
  await first.stop();
  const existing = first.repo;
  const afile = join(tmpDir(t), 'a-file');
  writeFileSync(afile, 'not a repository\n');

  const [wrongAtStart, fileAtStart, d] = await Promise.all([
    startCairnd(t, { repo: existing, env: { CAIRN_PASSPHRASE: 'wrong' }, expectFailure: true }),
    startCairnd(t, { repo: afile, expectFailure: true }),
    startCairnd(t),
  ]);
  await refusedAtStart(t, wrongAtStart, /passphrase/, 'cairnd --repo with a wrong CAIRN_PASSPHRASE');
  await refusedAtStart(t, fileAtStart, /not a directory/, 'cairnd --repo FILE');

  const wrong = await post(d, '/api/repositories', { location: existing, passphrase: 'wrong' });
  const p = isError(t, wrong, 422, 'unprocessable', 'POST /api/repositories with a wrong passphrase');
  t.ok(p.passphrase, 'params.passphrase');
  const wrongCreate = await post(d, '/api/repository/create', { location: `fs:${existing}`, passphrase: 'wrong' });
  t.ok(wrongCreate.status >= 400 && wrongCreate.status < 500, `repository/create on an existing one: 4xx (${wrongCreate.status})`);
  isError(t, await post(d, '/api/repositories', { location: afile, passphrase: 'x' }), 422, 'unprocessable', 'POST /api/repositories {location: FILE}');
  const fileCreate = await post(d, '/api/repository/create', { location: `fs:${afile}`, passphrase: 'x' });
  t.ok(fileCreate.status >= 400 && fileCreate.status < 500, `repository/create on a file: 4xx (${fileCreate.status})`);
  t.equal(readFileSync(afile, 'utf8'), 'not a repository\n', 'the file is untouched');
  await healthy(t, d, 'wrong passphrases');

  // the right passphrase opens it: the 422 was about the passphrase
  const right = await post<RepositoryEntry>(d, '/api/repositories', { location: existing, passphrase: 'test passphrase', name: 'other' });
  t.equal(right.status, 200, right.text.slice(0, 300));
  const list = await get<SnapshotList>(d, '/api/repository/snapshots?repository=other');
  t.equal(list.status, 200);
});

t.test('bad requests are refused with the error body, and cairnd keeps serving', async (t) => {
  let d = await startCairnd(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'sub', 'a.txt'), 'a\n');
  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: [src] });
  t.equal(b.status, 200, b.text.slice(0, 300));
  const id = b.json.snapshot_id;

  // sources
  const create = (body: unknown): ReturnType<typeof post> => post(d, '/api/snapshots/create', body);
  t.ok(isError(t, await create({ source: join(work, 'missing') }), 400, 'invalid_params', 'a missing source').source, 'params.source');
  t.ok(isError(t, await create({ source: [src, join(work, 'missing')] }), 400, 'invalid_params', 'a missing source among several').source);
  t.ok(isError(t, await create({ source: 'src' }), 400, 'invalid_params', 'a relative source').source, 'params.source');
  t.ok(isError(t, await create({ source: ['./src'] }), 400, 'invalid_params', 'a relative source in a list').source);
  t.ok(isError(t, await create({}), 400, 'invalid_params', 'no source').source, 'params.source');

  // JSON and types
  isError(t, await create('{"source": '), 400, 'invalid_params', 'malformed JSON');
  isError(t, await create('[1, 2'), 400, 'invalid_params', 'malformed JSON (array)');
  t.ok(isError(t, await create({ source: 5 }), 400, 'invalid_params', 'source: 5').source, 'names source');
  t.ok(isError(t, await create({ source: src, tags: 'x' }), 400, 'invalid_params', 'tags: "x"').tags, 'names tags');
  t.ok(isError(t, await create({ source: src, exclude_caches: 'yes' }), 400, 'invalid_params', 'exclude_caches: "yes"').exclude_caches);
  const restore = (ref: string, body: unknown): ReturnType<typeof post> => post(d, `/api/snapshots/${ref}/restore`, body);
  t.ok(isError(t, await restore(id, { destination: 5 }), 400, 'invalid_params', 'destination: 5').destination, 'names destination');
  t.ok(isError(t, await restore(id, { destination: join(work, 'o'), overwrite: 'sometimes' }), 400, 'invalid_params', 'overwrite: "sometimes"').overwrite);
  t.ok(isError(t, await restore(id, { destination: 'relative' }), 400, 'invalid_params', 'a relative destination').destination);
  t.ok(isError(t, await post(d, '/api/repository/check', { read_data: 'yes' }), 400, 'invalid_params', 'read_data: "yes"').read_data);
  const text = await post(d, '/api/snapshots/create', 'source=/');
  t.ok(text.status === 400 || text.status === 415, `a form body is refused (${text.status})`);

  // a restore target inside a backed-up path
  isError(t, await restore(id, { destination: join(src, 'restored') }), 422, 'unprocessable', 'a destination inside the backed-up path');
  isError(t, await restore(id, { destination: join(src, 'sub', 'x'), paths: [join(src, 'sub')] }), 422, 'unprocessable', 'inside, for one path');
  isError(t, await restore(id, { destination: src }), 422, 'unprocessable', 'the backed-up path itself');

  // unknown and malformed snapshot references, on every route that takes one
  const unknownId = id.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const routes = (ref: string): Array<[string, () => ReturnType<typeof get>]> => [
    ['GET snapshot', () => get(d, `/api/snapshot/${ref}`)],
    ['GET vfs', () => get(d, `/api/snapshot/vfs/${ref}:${src}`)],
    ['GET children', () => get(d, `/api/snapshot/vfs/children/${ref}`)],
    ['POST restore', () => restore(ref, { destination: join(work, 'out') })],
    ['POST check', () => post(d, `/api/snapshots/${ref}/check`, {})],
  ];
  for (const [ref, status, code] of [
    [unknownId, 404, 'not-found'], [unknownId.slice(0, 6), 404, 'not-found'],
    ['zz', 400, 'invalid_params'], [id.slice(0, 3), 400, 'invalid_params'], [`${id}0`, 400, 'invalid_params'],
  ] as Array<[string, number, string]>) {
    for (const [what, call] of routes(ref)) isError(t, await call(), status, code, `${what} ${ref.length > 12 ? `${ref.length} digits` : ref}`);
  }
  await healthy(t, d, 'bad requests');

  // an ambiguous prefix: a second snapshot object whose name (its SHA-256) shares the first
  // four hex digits; it cannot be authenticated, so it is listed as damaged, and still counts
  let forged: Buffer | null = null;
  let forgedHex = '';
  for (let i = 0; i < 4_000_000 && !forged; i++) {
    const bytes = Buffer.concat([Buffer.from('CAIRNSN1'), randomBytes(40)]);
    const h = createHash('sha256').update(bytes).digest('hex');
    if (h.startsWith(id.slice(0, 4))) {
      forged = bytes;
      forgedHex = h;
    }
  }
  t.ok(forged, 'found an object name sharing the prefix');
  writeFileSync(join(d.repo, 'snapshots', forgedHex), forged!);
  await d.stop();
  d = await startCairnd(t, { dir: d.dir });
  const prefix = id.slice(0, 4);
  for (const [what, call] of routes(prefix)) {
    const p = isError(t, await call(), 400, 'invalid_params', `${what} with an ambiguous prefix`);
    t.ok(p.id ?? p.snapshot, 'names the snapshot parameter');
  }
  let n = 4;
  while (id[n] === forgedHex[n]) n++;
  const longer = await get<VfsResult>(d, `/api/snapshot/vfs/${id.slice(0, n + 1)}:${src}/sub/a.txt`);
  t.equal(longer.status, 200, 'a longer prefix is unique again');
  t.equal(longer.json.item.size, 2);
  const list = await get<SnapshotList>(d, '/api/repository/snapshots');
  t.equal(list.status, 200, list.text.slice(0, 300));
  t.same(list.json.items.map((s) => [s.id, s.status]).sort(), [[id, 'complete'], [forgedHex, 'damaged']].sort(), 'the forged object is listed as damaged');
  const bad = list.json.items.find((s) => s.id === forgedHex);
  t.equal(bad?.timestamp, null, 'nothing is known of it but its id');
  const one = await get<{ item: Snapshot }>(d, `/api/snapshot/${forgedHex.slice(0, n + 1)}`);
  t.equal(one.json.item?.status, 'damaged');
  isError(t, await get(d, `/api/snapshot/vfs/${forgedHex}`), 422, 'unprocessable', 'browsing the damaged snapshot');
  isError(t, await restore(forgedHex, { destination: join(work, 'out') }), 422, 'unprocessable', 'restoring the damaged snapshot');
  isError(t, await post(d, `/api/snapshots/${forgedHex}/check`, {}), 422, 'unprocessable', 'checking the damaged snapshot');
  const latest = await get<{ item: Snapshot }>(d, '/api/snapshot/latest');
  t.equal(latest.json.item?.id, id, 'latest skips the damaged one');
  await healthy(t, d, 'damaged and ambiguous snapshots');
});

t.test('unreadable files: the backup succeeds and records them', async (t) => {
  // Root reads anything, so the daemon runs as nobody (65534) over files owned by root.
  const { d, user } = await startCairndAsNobody(t);
  const work = tmpDir(t);
  chmodSync(work, 0o755);
  const src = join(work, 'src');
  mkdirSync(join(src, 'locked'), { recursive: true });
  writeFileSync(join(src, 'ok.txt'), 'readable\n');
  writeFileSync(join(src, 'secret'), 'unreadable\n');
  writeFileSync(join(src, 'locked', 'inside'), 'below an unreadable directory\n');
  chmodSync(join(src, 'secret'), 0o000);
  chmodSync(join(src, 'locked'), 0o000);
  t.teardown(() => chmodSync(join(src, 'locked'), 0o755)); // before the removal (teardowns run last first)

  const b = await post<BackupResult>(d, '/api/snapshots/create', { source: src });
  t.equal(b.status, 200, b.text.slice(0, 500));
  const errs = (b.json.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
  t.same(errs, [join(src, 'locked'), join(src, 'secret')], 'both unreadable entries are listed in errors');
  t.equal(b.json.summary.errors, 2, 'and counted');
  const id = b.json.snapshot_id;
  const secret = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${src}/secret`);
  t.equal(secret.status, 200);
  t.ok(secret.json.item.error, `the entry shows its error: ${secret.json.item.error}`);
  t.equal(secret.json.item.mode, '0000', 'with its lstat metadata');
  t.ok((await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${src}/locked`)).json.item.error, 'so does the directory');
  const ok = await get<VfsResult>(d, `/api/snapshot/vfs/${id}:${src}/ok.txt`);
  t.notOk(ok.json.item.error, 'a readable file has no error');
  t.equal(ok.json.item.size, 9);

  // a restore skips and reports them, and restores the rest
  const out = join(work, 'out');
  mkdirSync(out);
  if (user !== undefined) chownSync(out, user, user);
  const r = await post<RestoreResult>(d, `/api/snapshots/${id}/restore`, { destination: out, paths: [src], rebase: true, skip_permissions: true });
  t.equal(r.status, 200, r.text.slice(0, 500));
  t.same(r.json.errors.map((e) => e.path).sort(), [join(out, 'locked'), join(out, 'secret')], 'restore reports the two');
  t.equal(readFileSync(join(out, 'ok.txt'), 'utf8'), 'readable\n');

  // the CLI says "saved with errors" with exit code 3
  const cli = await cairn(d, ['backup', src]);
  t.equal(cli.code, 3, `cairn backup exits 3: ${cli.stderr.slice(0, 300)}`);
  await healthy(t, d, 'unreadable files');
});
