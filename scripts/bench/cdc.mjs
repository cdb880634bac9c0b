#!/usr/bin/env node
// FastCDC throughput, native (native/src/cdc.c) vs the TypeScript reference, with the
// default params on 256 MiB of random data (one thread). Not a test: prints MB/s.
// Needs a build (npm run bootstrap). Usage: node scripts/bench/cdc.mjs [MiB]
import { randomFillSync, randomBytes } from 'node:crypto';

const root = new URL('../../', import.meta.url);
const { chunkerFor, referenceCuts, DEFAULT_CHUNKER_PARAMS } = await import(new URL('dist/daemon/chunking/index.js', root).href);

const mib = Number(process.argv[2] ?? 256);
const data = Buffer.allocUnsafe(mib * 1024 * 1024);
for (let off = 0; off < data.length; off += 1 << 26) randomFillSync(data, off, Math.min(1 << 26, data.length - off));
const gear = randomBytes(2048);
const params = DEFAULT_CHUNKER_PARAMS;

function run(name, fn) {
  fn(data.subarray(0, 16 << 20)); // warm up
  const t0 = process.hrtime.bigint();
  const cuts = fn(data);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name.padEnd(10)} ${(data.length / 1e6 / s).toFixed(0).padStart(6)} MB/s  `
    + `${cuts.length} chunks, average ${(data.length / cuts.length / 1048576).toFixed(2)} MiB`);
  return Array.from(cuts);
}

const chunker = chunkerFor(gear, params);
const a = run('native', (b) => chunker.cuts(b, true));
const b = run('reference', (buf) => referenceCuts(buf, gear, params, true));
if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
  console.error('native and reference disagree');
  process.exit(1);
}
