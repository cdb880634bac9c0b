#!/usr/bin/env node
// API load: starts its own cairnd (temp state dir, rate limits off via its config file),
// backs up a fixture of a few thousand entries, then
//   1. 50 concurrent clients (an undici Pool of 50 connections) hammer
//      GET /api/snapshot/vfs/children/{id}:/…/dir for N seconds, once on the Unix socket and
//      once on TCP (bearer admin token), and it prints requests/s and p50/p99/max latency;
//   2. backs up a larger tree of random data (not dedupable) with ?async=true and, while it
//      runs, polls /api/health every 50 ms, printing p50/p99/max latency (target < 100 ms).
// Not a test: it prints a small table. Needs a build (npm run bootstrap / npx tsc).
// Usage: node scripts/bench/api-load.mjs [--seconds 10] [--clients 50] [--entries 3000] [--big-mb 300]
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: "${args[i + 1]}" is not a positive number`);
  return v;
};
const SECONDS = opt('seconds', 10);
const CLIENTS = opt('clients', 50);
const ENTRIES = opt('entries', 3000);
const BIG_MB = opt('big-mb', 300);

const work = mkdtempSync(join(tmpdir(), 'cairn-api-load-'));
let daemon = null;

function cleanup() {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** A directory of `n` small files spread over sub-directories (a few thousand entries). */
function smallTree(dir, n) {
  mkdirSync(dir, { recursive: true });
  const per = 100;
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `d${String(Math.floor(i / per)).padStart(3, '0')}`);
    if (i % per === 0) mkdirSync(sub);
    writeFileSync(join(sub, `f${String(i).padStart(5, '0')}.txt`), `file ${i}\n`.repeat(1 + (i % 20)));
  }
  // Some entries directly in dir, so `children` has a full page of files and directories.
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, `top${String(i).padStart(3, '0')}.txt`), `top ${i}\n`);
}

/** `mb` MiB of random data in 4 MiB files. */
function bigTree(dir, mb) {
  mkdirSync(dir, { recursive: true });
  const buf = Buffer.allocUnsafe(4 << 20);
  for (let i = 0; i * 4 < mb; i++) {
    const size = Math.min(4, mb - i * 4) << 20;
    randomFillSync(buf, 0, size);
    writeFileSync(join(dir, `blob${String(i).padStart(4, '0')}.bin`), buf.subarray(0, size));
  }
}

async function startCairnd() {
  const state = join(work, 'state');
  mkdirSync(state);
  const config = join(work, 'cairnd.json');
  writeFileSync(config, JSON.stringify({ rate_limits: { auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 0 } }));
  const socket = join(work, 'cairn.sock');
  const env = { ...process.env, CAIRN_PASSPHRASE: 'api load bench', XDG_CONFIG_HOME: join(work, 'config'), XDG_RUNTIME_DIR: work };
  delete env.NODE_OPTIONS;
  daemon = spawn(process.execPath, [join(ROOT, 'bin', 'cairnd.cjs'), '--config', config, '--state-dir', state,
    '--socket', socket, '--listen', '127.0.0.1:0', '--repo', join(work, 'repo')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  daemon.stderr.on('data', (b) => { err += b; });
  const tcp = await new Promise((resolve, reject) => {
    daemon.stdout.on('data', (b) => {
      out += b;
      const m = /cairnd ready socket=\S+ tcp=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    daemon.on('exit', (code) => reject(new Error(`cairnd exited (${code}): ${err.slice(-2000)}`)));
  });
  return { socket, tcp, token: readFileSync(join(state, 'admin.token'), 'utf8').trim() };
}

async function call(pool, method, path, body, headers = {}) {
  const res = await pool.request({
    method, path, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}), headersTimeout: 0, bodyTimeout: 0,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x) => x.toFixed(2);

/** CLIENTS loops, each one request at a time, for SECONDS; latencies in ms. */
async function hammer(pool, path, headers) {
  const lat = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await pool.request({ method: 'GET', path, headers });
      await res.body.dump({ limit: Infinity });
      if (res.statusCode === 200) lat.push(performance.now() - t0);
      else errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { requests: lat.length, errors, rps: lat.length / secs, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat[lat.length - 1] };
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main() {
  const small = join(work, 'src', 'dir');
  const big = join(work, 'big');
  process.stderr.write(`fixture: ${ENTRIES} files in ${small}; ${BIG_MB} MiB in ${big}\n`);
  smallTree(small, ENTRIES);
  bigTree(big, BIG_MB);
  const d = await startCairnd();
  const sock = new Pool('http://localhost', { socketPath: d.socket, connections: CLIENTS, pipelining: 1 });
  const tcp = new Pool(`http://${d.tcp}`, { connections: CLIENTS, pipelining: 1 });
  const auth = { authorization: `Bearer ${d.token}` };
  try {
    const backup = await call(sock, 'POST', '/api/snapshots/create', { source: small });
    const ref = `${backup.snapshot_id}:${encodeURI(small)}`;
    const path = `/api/snapshot/vfs/children/${ref}`;
    const first = await call(sock, 'GET', path);
    process.stderr.write(`snapshot ${backup.snapshot_id.slice(0, 8)}: ${backup.summary.files} files; children of dir: ${first.total}\n`);
    process.stderr.write(`hammering ${path} with ${CLIENTS} clients for ${SECONDS} s per transport\n`);
    // Warm-up (JIT, caches) on both transports, not measured.
    await Promise.all(Array.from({ length: CLIENTS }, () => call(sock, 'GET', path)));
    await Promise.all(Array.from({ length: CLIENTS }, () => call(tcp, 'GET', path, undefined, auth)));
    const rs = await hammer(sock, path, {});
    const rt = await hammer(tcp, path, auth);

    // A backup of BIG_MB of random data while /api/health is polled every 50 ms.
    const health = new Pool('http://localhost', { socketPath: d.socket, connections: 1 });
    const accepted = await call(sock, 'POST', '/api/snapshots/create?async=true', { source: big });
    const jobId = accepted.job.id;
    let done = false;
    const t0 = performance.now();
    const waiter = (async () => {
      for (;;) {
        const job = await call(sock, 'GET', `/api/jobs/${jobId}/wait?timeout=30`);
        if (job.status !== 'pending' && job.status !== 'running') {
          done = true;
          return job;
        }
      }
    })();
    const lat = [];
    let slow = 0;
    while (!done) {
      const start = performance.now();
      await call(health, 'GET', '/api/health');
      const took = performance.now() - start;
      lat.push(took);
      if (took >= 100) slow++;
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - took)));
    }
    const job = await waiter;
    const backupSecs = (performance.now() - t0) / 1000;
    await health.close();
    lat.sort((a, b) => a - b);

    console.log(`\nGET /api/snapshot/vfs/children/{id}:/dir, ${CLIENTS} concurrent clients, ${SECONDS} s each`);
    table(['transport', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'max ms'], [
      ['unix socket', rs.requests, rs.errors, rs.rps.toFixed(0), ms(rs.p50), ms(rs.p99), ms(rs.max)],
      ['tcp + bearer', rt.requests, rt.errors, rt.rps.toFixed(0), ms(rt.p50), ms(rt.p99), ms(rt.max)],
    ]);
    console.log(`\nGET /api/health every 50 ms during a backup of ${BIG_MB} MiB (job ${job.status}, ${backupSecs.toFixed(1)} s, `
      + `${(BIG_MB / backupSecs).toFixed(0)} MiB/s)`);
    table(['polls', 'p50 ms', 'p99 ms', 'max ms', '>= 100 ms'], [
      [lat.length, ms(quantile(lat, 0.5)), ms(quantile(lat, 0.99)), ms(lat[lat.length - 1]), slow],
    ]);
    const ok = job.status === 'success' && rs.errors === 0 && rt.errors === 0 && lat[lat.length - 1] < 100;
    console.log(ok ? '\nall requests answered; /api/health stayed under 100 ms' : '\nTARGET MISSED (see above)');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await sock.close();
    await tcp.close();
    daemon.kill('SIGTERM');
    await new Promise((r) => (daemon.exitCode !== null ? r() : daemon.once('exit', r)));
  }
}

main().catch((e) => {
  console.error(`api-load: ${e.message}`);
  process.exitCode = 1;
});
