// daemon/api/routes/browse-diff.ts in-process: `highlight=true` needs the read permission
// on top of the route's browse. No built-in role has browse without read (API.md's
// table), so the caller here is made by replacing Access.admit: a principal whose role
// lacks read gets 403 forbidden with highlight and 200 without; a reader gets the
// unified diff. Also query-bytes.ts: `?path=` as the bytes sent.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browseHandlers } from '../../../../daemon/api/index.js';
import type { Principal } from '../../../../daemon/access/index.js';
import { backup } from '../../../../daemon/backup/index.js';
import type { Registry } from '../../../../daemon/repository/index.js';
import type { DiffResult } from '../../../../shared/schemas/index.js';
import { makeTestApi } from '../../../helpers/daemon.js';
import { makeTestRepo } from '../../../helpers/repo.js';
import { tmpDir } from '../../../helpers/tmp.js';

t.test('highlight needs read', async (t) => {
  const h = await makeTestRepo(t);
  const src = join(tmpDir(t), 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'one\n');
  const b1 = await backup(h.repo, { sources: [Buffer.from(src)] });
  writeFileSync(join(src, 'a.txt'), 'two\n');
  writeFileSync(Buffer.from(`${src}/\xff`, 'latin1'), 'raw');
  const b2 = await backup(h.repo, { sources: [Buffer.from(src)] });
  const registry = { get: () => h.repo } as unknown as Registry;
  const ta = await makeTestApi(t, { handlers: browseHandlers({ registry }) });
  let caller: Principal = { kind: 'key', role: 'reader', via: 'token' };
  ta.access.admit = async () => caller;
  const url = (q: string): string => `/api/snapshots/${b1.id.toString('hex')}/diff/${b2.id.toString('hex')}?path=${encodeURIComponent(src)}${q}`;

  const reader = await ta.api.app.inject({ method: 'GET', url: url('/a.txt&highlight=true') });
  t.equal(reader.statusCode, 200, reader.body);
  t.match((reader.json() as DiffResult).unified, /-one\n\+two\n$/, 'a reader gets the unified diff');

  caller = { kind: 'key', role: 'appender', via: 'token' };
  const denied = await ta.api.app.inject({ method: 'GET', url: url('/a.txt&highlight=true') });
  t.equal(denied.statusCode, 403);
  t.same(denied.json(), { error: { code: 'forbidden', message: 'highlight=true shows file contents: it needs the read permission', params: { permission: 'read' } } });
  const plain = await ta.api.app.inject({ method: 'GET', url: url('/a.txt') });
  t.equal(plain.statusCode, 200, 'the same caller without highlight: the diff');
  t.same((plain.json() as DiffResult).items.map((i) => i.change), ['modified']);

  caller = { kind: 'key', role: 'reader', via: 'token' };
  const raw = await ta.api.app.inject({ method: 'GET', url: url('/%FF') });
  t.equal(raw.statusCode, 200, '?path= with a byte that is not UTF-8');
  t.same((raw.json() as DiffResult).items.map((i) => [i.change, i.path_raw]), [['added', `${encodeURI(src)}/%FF`]]);
  const plus = await ta.api.app.inject({ method: 'GET', url: url('/a+b') });
  t.equal(plus.statusCode, 404, '`+` is a space: /a b is in neither');
  const badEscape = await ta.api.app.inject({ method: 'GET', url: url('/%G1') });
  t.equal(badEscape.statusCode, 400);
  t.equal(badEscape.json().error.params.path.code, 'invalid_argument');
});
