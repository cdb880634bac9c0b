// Hostile input through a real cairnd (issue 4 acceptance, "Hostile input"), with curl
// (`--path-as-is -g`: the bytes go out as written) and raw sockets: path traversal in every
// path parameter (`..`, `%2e%2e`, `%2F`-encoded, absolute host paths, NUL) of every route
// taking `SNAPSHOT:path`, a path query or path body, and in every `{id}`-like segment;
// ids of the wrong length; invalid globs; bodies over the limit (413); wrong content
// types (415); 10,000 query parameters; slow-loris clients against 2 s timeouts and a
// 0.5 s check interval from the config file. A file with known content is planted beside
// the backed-up tree and must never be served; every refusal is API.md's error body; the
// daemon answers /api/health after each group. Names whose bytes are not UTF-8 (`%E9`,
// `%FF`) are served, not refused.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startCairnd, type Cairnd } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { isError, type Answer } from './api.js';

interface Req {
  method?: string;
  headers?: string[];
  /** Sent as it is (a string or bytes). */
  data?: string | Buffer;
  tcp?: boolean;
  curl?: string[];
}

function req(d: Cairnd, path: string, o: Req = {}): Promise<Answer & { body: Buffer }> {
  const args = ['-sS', '--path-as-is', '-g', '-X', o.method ?? 'GET', '-w', '\n%{http_code}', ...(o.curl ?? [])];
  for (const h of o.headers ?? []) args.push('-H', h);
  if (o.data !== undefined) args.push('--data-binary', '@-');
  if (o.tcp) args.push('-H', `authorization: Bearer ${d.token()}`, `http://${d.tcp}${path}`);
  else args.push('--unix-socket', d.socket, `http://cairn${path}`);
  return new Promise((resolve) => {
    const child = execFile('curl', args, { encoding: 'buffer', maxBuffer: 64 << 20 }, (_err, stdout) => {
      const i = stdout.lastIndexOf(0x0a);
      const body = stdout.subarray(0, i);
      const text = body.toString();
      let json: unknown = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: Number(stdout.subarray(i + 1).toString()), json, text, body });
    });
    child.stdin!.on('error', () => { /* curl left early: its answer says why */ });
    child.stdin!.end(o.data ?? '');
  });
}

/** /api/health answers 200, within `ms`. */
async function healthy(t: Test, d: Cairnd, what: string, ms = 2000): Promise<void> {
  const t0 = performance.now();
  const h = await req(d, '/api/health');
  const took = performance.now() - t0;
  t.equal(h.status, 200, `healthy after ${what}`);
  t.ok(took < ms, `health answered in ${took.toFixed(0)} ms after ${what}`);
}

const enc = encodeURIComponent;

t.test('hostile input', async (t) => {
  const work = tmpDir(t);
  const config = join(work, 'cairnd.json');
  writeFileSync(config, JSON.stringify({
    rate_limits: { auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 0 },
    http: { headers_timeout_ms: 2000, request_timeout_ms: 2000, keep_alive_timeout_ms: 2000, connections_check_interval_ms: 500 },
  }));
  const d = await startCairnd(t, { args: ['--config', config] });

  // The planted file: beside the backed-up tree, never in a snapshot.
  const SECRET = `planted-${randomBytes(8).toString('hex')}`;
  const outside = join(work, 'outside');
  mkdirSync(outside);
  const secretFile = join(outside, 'secret.txt');
  writeFileSync(secretFile, SECRET);
  const secretDigests = ['sha256', 'sha1', 'md5'].map((a) => createHash(a).update(SECRET).digest('hex'));
  const src = join(work, 'src');
  mkdirSync(join(src, 'docs'), { recursive: true });
  writeFileSync(join(src, 'docs', 'a.txt'), 'in the snapshot\n');
  const S = Buffer.from(src);
  writeFileSync(Buffer.concat([S, Buffer.from('/caf\xe9.txt', 'latin1')]), 'latin-1 name\n');
  writeFileSync(Buffer.concat([S, Buffer.from('/\xff\xfe.bin', 'latin1')]), 'not utf-8 at all\n');
  const b = await req(d, '/api/snapshots/create', { method: 'POST', headers: ['content-type: application/json'], data: JSON.stringify({ source: src }) });
  t.equal(b.status, 200, b.text.slice(0, 300));
  const id = (b.json as { snapshot_id: string }).snapshot_id;

  /** Nothing of the planted file (content, digests, name) nor of /etc/passwd in an answer. */
  const leaksNothing = (t: Test, r: Answer & { body: Buffer }, what: string): void => {
    t.notOk(r.body.includes(SECRET), `${what}: not the planted content`);
    for (const h of secretDigests) t.notOk(r.text.includes(h), `${what}: not its digest`);
    t.notMatch(r.text, /root:x?:0:0/, `${what}: not /etc/passwd`);
    if (r.status >= 400) {
      t.ok(r.status < 500, `${what}: a refusal, not a failure (${r.status} ${r.text.slice(0, 200)})`);
      isError(t, r, r.status, (r.json as { error?: { code?: string } } | null)?.error?.code ?? '?', what);
    } else {
      t.equal(r.status, 200, `${what}: 4xx or the in-snapshot entry (${r.text.slice(0, 200)})`);
      t.notOk(r.text.includes('secret.txt'), `${what}: no entry of the planted file`);
    }
  };

  t.test('path traversal in SNAPSHOT:path', async (t) => {
    const up = '/..'.repeat(12);
    const paths = [
      `${src}/../outside/secret.txt`,
      `${src}/%2e%2e/outside/secret.txt`,
      `${src}/%2E%2E%2Foutside%2Fsecret.txt`,
      enc(`${src}/../outside/secret.txt`),
      `${src}/docs/..%2f..%2f..%2foutside/secret.txt`,
      `${src}/%252e%252e/outside/secret.txt`,
      `${src}${up}${secretFile}`,
      `${src}${up}/etc/passwd`,
      `${src}/docs/a.txt%00/../../../outside/secret.txt`,
      `${src}/docs/a.txt%00`,
      `${src}%00${up}/etc/passwd`,
      secretFile,
      enc(secretFile),
      `/${secretFile}`,
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      `..${up}/etc/passwd`,
      `../outside/secret.txt`,
      `${src}/docs/./../docs/a.txt`,
      `${src}\\..\\..\\outside\\secret.txt`,
    ];
    const routes: [string, string][] = [
      ['GET', '/api/snapshot/vfs/'], ['GET', '/api/snapshot/vfs/children/'], ['GET', '/api/snapshot/vfs/search/'],
      ['GET', '/api/snapshot/vfs/errors/'], ['GET', '/api/snapshot/vfs/chunks/'], ['GET', '/api/snapshot/reader/'],
      ['POST', '/api/snapshot/reader-sign-url/'], ['GET', '/api/files/cat/'], ['GET', '/api/files/digest/'],
    ];
    const cases = routes.flatMap(([method, prefix]) => paths.map((p) => ({ method, prefix, p })));
    const answers: { what: string; r: Answer & { body: Buffer }; p: string }[] = [];
    for (let i = 0; i < cases.length; i += 12) { // 12 curl processes at a time
      answers.push(...await Promise.all(cases.slice(i, i + 12).map(async ({ method, prefix, p }) => {
        const r = await req(d, `${prefix}${id}:${p}`, { method });
        return { what: `${method} ${prefix}ID:${p}`, r, p };
      })));
    }
    for (const { what, r } of answers) leaksNothing(t, r, what);
    // A path that stays inside after `..` may be served; the file it names is the snapshot's.
    const inside = answers.find((a) => a.what.startsWith('GET /api/snapshot/reader/') && a.p.endsWith('/./../docs/a.txt'))!;
    if (inside.r.status === 200) t.equal(inside.r.text, 'in the snapshot\n');
    // The snapshot part itself.
    for (const bad of ['..', '%2e%2e', `..%2F..%2F..%2Fetc%2Fpasswd:${src}`, `${id}%00:${src}`, `%00`, `/etc/passwd`]) {
      for (const [method, prefix] of routes) leaksNothing(t, await req(d, `${prefix}${bad}`, { method }), `${prefix}${bad}`);
    }
    // A traversal over TCP is refused the same way.
    leaksNothing(t, await req(d, `/api/snapshot/reader/${id}:${src}/../outside/secret.txt`, { tcp: true }), 'reader over TCP');
    await healthy(t, d, 'path traversal');
  });

  t.test('path traversal in path queries and bodies', async (t) => {
    const travs = [`${src}/../outside/secret.txt`, `${src}/%2e%2e/outside/secret.txt`, secretFile, '/etc/passwd', `${src}/docs/a.txt%00/../../../outside/secret.txt`, '../../../../etc/passwd'];
    for (const p of travs) {
      const q = p.includes('%') ? p : enc(p);
      leaksNothing(t, await req(d, `/api/snapshots/${id}/diff/${id}?path=${q}&highlight=true`), `diff ?path=${p}`);
      leaksNothing(t, await req(d, `/api/snapshots/${id}/diff/${id}?path=${enc(join(src, 'docs', 'a.txt'))}&path_b=${q}&highlight=true`), `diff ?path_b=${p}`);
      leaksNothing(t, await req(d, `/api/repository/locate-pathname?resource=${q}`), `locate-pathname ?resource=${p}`);
      leaksNothing(t, await req(d, `/api/snapshot/vfs/search/${id}?pattern=${q}`), `search ?pattern=${p}`);
      leaksNothing(t, await req(d, `/api/search/locate?patterns=${q}`), `locate ?patterns=${p}`);
      const json = ['content-type: application/json'];
      const dl = await req(d, `/api/snapshot/vfs/downloader/${id}`, { method: 'POST', headers: json, data: JSON.stringify({ files: [decodeURIComponent(p)], format: 'tar' }) });
      leaksNothing(t, dl, `downloader {files:[${p}]}`);
      if (dl.status === 200) {
        const archive = await req(d, (dl.json as { download_url: string }).download_url);
        leaksNothing(t, archive, `the archive of ${p}`);
      }
      const plakar = await req(d, `/api/snapshot/vfs/downloader/${id}`, { method: 'POST', headers: json, data: JSON.stringify({ items: [{ pathname: decodeURIComponent(p) }] }) });
      leaksNothing(t, plakar, `downloader {items:[{pathname: ${p}}]}`);
      const restoreTo = join(work, 'restored', randomBytes(4).toString('hex'));
      const rs = await req(d, `/api/snapshots/${id}/restore`, { method: 'POST', headers: json, data: JSON.stringify({ destination: restoreTo, paths: [decodeURIComponent(p)] }) });
      leaksNothing(t, rs, `restore {paths:[${p}]}`);
    }
    await healthy(t, d, 'path queries');
  });

  t.test('traversal and junk in {id} segments', async (t) => {
    const ids = ['..', '%2e%2e', '..%2F..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', 'a%00b', `${id}%00`, `${id}%2F..`];
    const json = ['content-type: application/json'];
    for (const x of ids) {
      const calls: [string, string, string?][] = [
        ['GET', `/api/snapshot/${x}`], ['POST', `/api/snapshots/${x}/restore`, JSON.stringify({ destination: join(work, 'r-id') })],
        ['POST', `/api/snapshots/${x}/check`, '{}'], ['GET', `/api/snapshots/${x}/diff/${id}`], ['GET', `/api/snapshots/${id}/diff/${x}`],
        ['POST', `/api/snapshot/vfs/downloader/${x}`, '{}'], ['GET', `/api/snapshot/vfs/downloader-sign-url/${x}`],
        ['GET', `/api/jobs/${x}`], ['GET', `/api/jobs/${x}/logs`], ['POST', `/api/jobs/${x}/cancel`],
        ['GET', `/api/repositories/${x}`], ['POST', `/api/repositories/${x}/test`], ['DELETE', `/api/keys/${x}`],
      ];
      for (const [method, path, data] of calls) {
        const r = await req(d, path, { method, ...(data !== undefined ? { headers: json, data } : {}) });
        leaksNothing(t, r, `${method} ${path}`);
        t.ok(r.status >= 400, `${method} ${path}: refused (${r.status})`);
      }
    }
    await healthy(t, d, '{id} segments');
  });

  t.test('ids of the wrong length', async (t) => {
    const json = ['content-type: application/json'];
    const cases: [string, number, string][] = [['abc', 400, 'invalid_params'], ['a'.repeat(65), 400, 'invalid_params'], ['zzzz', 400, 'invalid_params'],
      ['0'.repeat(64), 404, 'not-found'], ['f'.repeat(63), 404, 'not-found'], ['', 404, 'not-found']];
    for (const [x, status, code] of cases) {
      if (x === '') continue;
      isError(t, await req(d, `/api/snapshot/${x}`), status, code, `snapshot ${x.length} chars`);
      isError(t, await req(d, `/api/snapshot/vfs/${x}:${src}`), status, code, `vfs ${x.length} chars`);
      isError(t, await req(d, `/api/snapshot/reader/${x}:${src}/docs/a.txt`), status, code, `reader ${x.length} chars`);
      isError(t, await req(d, `/api/snapshots/${x}/diff/${id}`), status, code, `diff a ${x.length} chars`);
      isError(t, await req(d, `/api/snapshots/${x}/check`, { method: 'POST', headers: json, data: '{}' }), status, code, `check ${x.length} chars`);
      const undel = await req(d, '/api/snapshots/undelete', { method: 'POST', headers: json, data: JSON.stringify({ snapshot_ids: [x] }) });
      t.ok(undel.status === 400 || undel.status === 404, `undelete ${x.length} chars: ${undel.status}`);
      isError(t, undel, undel.status, undel.status === 400 ? 'invalid_params' : 'not-found', `undelete ${x.length} chars`);
    }
    isError(t, await req(d, '/api/jobs/00000000-0000-0000-0000-000000000000x'), 404, 'not-found', 'a job id one too long');
    isError(t, await req(d, '/api/jobs/0'), 404, 'not-found', 'a short job id');
    const longDl = await req(d, `/api/snapshot/vfs/downloader-sign-url/${'a'.repeat(129)}`);
    isError(t, longDl, longDl.status, longDl.status === 400 ? 'invalid_params' : 'not-found', 'a download id too long');
    isError(t, await req(d, `/api/snapshot/vfs/downloader-sign-url/${'a'.repeat(32)}`), 404, 'not-found', 'an unknown download id');
    isError(t, await req(d, '/api/snapshot/vfs/downloader-sign-url/abc'), 404, 'not-found', 'a short download id');
    await healthy(t, d, 'wrong-length ids');
  });

  t.test('invalid globs', async (t) => {
    const base = `/api/snapshot/vfs/search/${id}:${enc(src)}`;
    for (const g of ['[', '[a-', '{a', '+(a|b)', 'a'.repeat(5000)]) {
      isError(t, await req(d, `${base}?pattern=${enc(g)}`), 400, 'invalid_params', `search ?pattern=${g.slice(0, 10)}`);
      isError(t, await req(d, `/api/search/locate?patterns=${enc(g)}`), 400, 'invalid_params', `locate ?patterns=${g.slice(0, 10)}`);
    }
    const many = Array.from({ length: 101 }, (_, i) => `patterns=p${i}`).join('&');
    isError(t, await req(d, `/api/search/locate?${many}`), 400, 'invalid_params', '101 locate patterns');
    const slow = await req(d, `${base}?pattern=${enc(`${'*a'.repeat(40)}b`)}`);
    t.equal(slow.status, 200, 'a pattern that backtracks in a regex answers');
    await healthy(t, d, 'invalid globs');
  });

  t.test('bodies over the limit and wrong content types', async (t) => {
    const huge = JSON.stringify({ source: src, tags: [], excludes: Array.from({ length: 120_000 }, (_, i) => `x${i}`) });
    t.ok(huge.length > 1 << 20);
    for (const tcp of [false, true]) {
      const how = tcp ? 'TCP' : 'socket';
      isError(t, await req(d, '/api/snapshots/create', { method: 'POST', headers: ['content-type: application/json'], data: huge, tcp }), 413, 'too-large', `2 MB body (${how})`);
      isError(t, await req(d, '/api/snapshots/create', {
        method: 'POST', headers: ['content-type: application/json', 'transfer-encoding: chunked'], data: huge, tcp,
      }), 413, 'too-large', `2 MB chunked body (${how})`);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/xml']) {
        isError(t, await req(d, '/api/snapshots/create', { method: 'POST', headers: [`content-type: ${type}`], data: JSON.stringify({ source: src }), tcp }),
          415, 'unsupported-media-type', `${type} (${how})`);
      }
    }
    isError(t, await req(d, '/api/keys', { method: 'POST', headers: ['content-type: text/plain'], data: '{"name":"x","role":"admin"}' }), 415, 'unsupported-media-type', 'keys with text/plain');
    isError(t, await req(d, '/api/snapshots/create', { method: 'POST', headers: ['content-type: application/json'], data: '{"source": "' }), 400, 'invalid_params', 'truncated JSON');
    await healthy(t, d, 'bodies');
  });

  t.test('10,000 query parameters', async (t) => {
    const q = Array.from({ length: 10_000 }, (_, i) => `p${i}=${i}`).join('&');
    const r = await req(d, `/api/repository/snapshots?${q}`);
    isError(t, r, 431, 'headers-too-large', '10,000 parameters (the request line is over the header limit)');
    const tags = Array.from({ length: 10_000 }, () => 'tag=x').join('&');
    isError(t, await req(d, `/api/repository/snapshots?${tags}`), 431, 'headers-too-large', '10,000 repeats of one parameter');
    // As many as fit in the header limit: answered, not refused or stalled.
    const fits = Array.from({ length: 1_500 }, (_, i) => `p${i}`).join('&');
    const ok = await req(d, `/api/repository/snapshots?${fits}`);
    t.equal(ok.status, 200, `1,500 unknown parameters are ignored (${ok.text.slice(0, 200)})`);
    const repeated = Array.from({ length: 1_200 }, () => 'patterns=a').join('&');
    isError(t, await req(d, `/api/search/locate?${repeated}`), 400, 'invalid_params', '1,200 locate patterns');
    // 10,000 parameters in a JSON body (an object with 10,000 unknown keys).
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])));
    const r2 = await req(d, `/api/snapshot/reader-sign-url/${id}:${src}/docs/a.txt`, { method: 'POST', headers: ['content-type: application/json'], data: body });
    t.ok(r2.status === 200 || r2.status === 400, `a body of 10,000 keys: ${r2.status}`);
    if (r2.status === 400) isError(t, r2, 400, 'invalid_params', 'a body of 10,000 keys');
    await healthy(t, d, '10,000 parameters');
  });

  t.test('names that are not UTF-8 are served', async (t) => {
    const cafe = `${src}/caf%E9.txt`;
    const ff = `${src}/%FF%FE.bin`;
    const read = await req(d, `/api/snapshot/reader/${id}:${cafe}`);
    t.equal(read.status, 200, read.text.slice(0, 200));
    t.equal(read.text, 'latin-1 name\n');
    const readFf = await req(d, `/api/snapshot/reader/${id}:${ff}`);
    t.equal(readFf.status, 200, readFf.text.slice(0, 200));
    t.equal(readFf.text, 'not utf-8 at all\n');
    const vfs = await req(d, `/api/snapshot/vfs/${id}:${ff.toLowerCase().replace(src.toLowerCase(), src)}`);
    t.equal(vfs.status, 200, 'lowercase escapes too');
    t.match(vfs.json, { item: { name: '\ufffd\ufffd.bin', name_raw: '%FF%FE.bin' } });
    const cat = await req(d, `/api/files/cat/${id}:${cafe}`, { tcp: true });
    t.equal(cat.text, 'latin-1 name\n', 'over TCP');
    const digest = await req(d, `/api/files/digest/${id}:${ff}`);
    t.equal((digest.json as { digest: string }).digest, createHash('sha256').update('not utf-8 at all\n').digest('hex'));
    // path_raw from a listing, sent back as is.
    const list = await req(d, `/api/snapshot/vfs/children/${id}:${enc(src)}`);
    const raws = (list.json as { items: { path_raw?: string }[] }).items.map((i) => i.path_raw).filter((x): x is string => !!x);
    t.equal(raws.length, 2, 'both names carry path_raw');
    for (const raw of raws) t.equal((await req(d, `/api/snapshot/reader/${id}:${raw}`)).status, 200, `reader ${raw}`);
    const loc = await req(d, `/api/repository/locate-pathname?resource=${cafe}`);
    t.equal((loc.json as { total: number }).total, 1, 'locate-pathname with a non-UTF-8 resource');
    await healthy(t, d, 'non-UTF-8 names');
  });

  t.test('a literal NUL or a bare high byte in the request line', async (t) => {
    const raw = (line: Buffer): Promise<string> => new Promise((resolve) => {
      const s = connect(d.socket);
      let out = '';
      s.on('data', (b) => { out += b.toString('latin1'); });
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
      s.end(Buffer.concat([line, Buffer.from('\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    });
    const nul = await raw(Buffer.concat([Buffer.from(`GET /api/snapshot/reader/${id}:${src}/docs/a.txt`), Buffer.from([0]), Buffer.from('/../../../outside/secret.txt HTTP/1.1')]));
    t.match(nul, /^HTTP\/1\.1 4\d\d /, 'a NUL in the request line is refused');
    t.notOk(nul.includes(SECRET));
    t.match(nul, /\{"error":\{"code":"[^"]+","message"/, 'with the error body');
    const high = await raw(Buffer.concat([Buffer.from(`GET /api/snapshot/reader/${id}:${src}/caf`), Buffer.from([0xe9]), Buffer.from('.txt HTTP/1.1')]));
    t.match(high, /^HTTP\/1\.1 (200 [\s\S]*latin-1 name|4\d\d [\s\S]*"error")/, 'a bare high byte: the file or a refusal');
    await healthy(t, d, 'raw request lines');
  });

  t.test('slow-loris clients are closed by the configured timeouts', async (t) => {
    const [host, port] = [d.tcp.slice(0, d.tcp.lastIndexOf(':')), Number(d.tcp.slice(d.tcp.lastIndexOf(':') + 1))];
    /** Opens a socket that writes `head` then one byte of `dribble` every 300 ms; resolves when the daemon closes it. */
    const loris = (head: string, dribble: string): Promise<{ ms: number; answer: string }> => new Promise((resolve) => {
      const s: Socket = connect({ host, port });
      const t0 = performance.now();
      let answer = '';
      let i = 0;
      let timer: NodeJS.Timeout | undefined;
      s.on('connect', () => {
        s.write(head);
        timer = setInterval(() => {
          if (i < dribble.length && s.writable) s.write(dribble[i++]!);
        }, 300);
      });
      s.on('data', (b) => { answer += b.toString(); });
      const done = (): void => {
        clearInterval(timer);
        resolve({ ms: performance.now() - t0, answer });
      };
      s.on('close', done);
      s.on('error', () => { /* a reset is a close too */ });
      t.teardown(() => { clearInterval(timer); s.destroy(); });
    });
    const headers = `GET /api/health HTTP/1.1\r\nHost: x\r\n${'X-Slow: '.padEnd(200, 'y')}\r\n\r\n`;
    const body = `POST /api/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${d.token()}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const lorises = [
      loris('', headers), // the request headers, one byte every 300 ms
      loris(body, '{"name": "slow", "role": "reader"'.padEnd(1000, ' ')), // the body, one byte every 300 ms
    ];
    // Meanwhile the daemon keeps answering at once.
    for (let i = 0; i < 5; i++) await healthy(t, d, `slow clients connected (${i})`, 1000);
    const [h, bd] = await Promise.all(lorises);
    for (const [what, r] of [['dribbled headers', h], ['dribbled body', bd]] as const) {
      t.ok(r.ms >= 1900 && r.ms < 4000, `${what}: closed after ${r.ms.toFixed(0)} ms (timeout 2 s, checked every 0.5 s)`);
      t.ok(r.answer === '' || /^HTTP\/1\.1 408 /.test(r.answer), `${what}: 408 or a plain close (${r.answer.slice(0, 80)})`);
      if (r.answer) t.match(r.answer, /\{"error":\{"code":"request-timeout"/, `${what}: the error body`);
    }
    // An idle keep-alive connection is closed after keep_alive_timeout_ms.
    const idle = await new Promise<{ ms: number; answer: string }>((resolve) => {
      const s = connect({ host, port });
      let answer = '';
      let t0 = 0;
      s.on('data', (b) => {
        answer += b.toString();
        if (!t0 && answer.includes('\r\n\r\n')) t0 = performance.now();
      });
      s.on('close', () => resolve({ ms: performance.now() - t0, answer }));
      s.on('error', () => { /* reset */ });
      s.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    t.match(idle.answer, /^HTTP\/1\.1 200 /);
    t.ok(idle.ms >= 1500 && idle.ms < 4000, `an idle keep-alive connection closed after ${idle.ms.toFixed(0)} ms`);
    await healthy(t, d, 'slow-loris', 1000);
  });
});
