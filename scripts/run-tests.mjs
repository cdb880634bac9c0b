#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) with tap and ends with the one line CI
// reads: `N passed, N failed`. `--slow` runs the *.slow.test.js files instead; any other
// argument filters test files by substring (`npm test -- pack`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const slow = args.includes('--slow');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = walk(join(root, 'dist', 'test'))
  .filter((f) => f.endsWith('.slow.test.js') === slow)
  // a compiled test whose source was renamed or deleted is stale output, not a test
  .filter((f) => existsSync(join(root, relative(join(root, 'dist'), f)).replace(/\.js$/, '.ts')))
  .map((f) => relative(root, f))
  // matched against the path from the checkout (`dist/test/...`): the checkout's own path
  // may contain the word (a worktree at /work/crash matched every file for `crash`)
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.log(slow ? 'no slow tests' : 'no tests matched');
  console.log('0 passed, 0 failed');
  process.exit(slow ? 0 : 1);
}

const tap = join(root, 'node_modules', '.bin', 'tap');
// The slow suite runs one file at a time: its files each load both cores for minutes, and
// the crash test's 90 s budget is its own time (beside the every-byte tamper test it took
// 95 s, alone 60-75 s). One at a time the slow suite took 4 min 56 s, two at a time ~4 min.
const child = spawn(tap, ['--disable-coverage', '--allow-empty-coverage', '--reporter=tap',
  `--jobs=${slow ? 1 : 2}`, '--timeout=300', ...files], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });

let passed = 0;
let failed = 0;
let buf = '';
// Count top-level test files: tap prints `ok N - file` / `not ok N - file` at depth 0.
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  buf += d.toString();
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const m = /^# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/.exec(line);
    if (m) { passed = Number(m[2]); failed = Number(m[3] ?? 0) + (Number(m[1]) - Number(m[2]) - Number(m[3] ?? 0) > 0 ? 0 : 0); }
    const f = /^# \{ .*fail: (\d+)/.exec(line);
    if (f) failed = Number(f[1]);
  }
});
child.on('close', (code) => {
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 ? 0 : 1);
});
