// native/src/prefetch.c: cache-warming threads ahead of the scan. They change no result, so
// what can be checked is that they start, finish or stop on request without hanging or
// crashing, whatever the roots hold, and refuse bad arguments.
import t from 'tap';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkfifo, prefetchStart, prefetchStop } from '../../native/index.js';
import { varTmpDir } from './var-tmp.js';

function tree(dir: string): void {
  for (let i = 0; i < 20; i++) {
    const d = join(dir, `d${i}`, 'sub', 'deeper');
    mkdirSync(d, { recursive: true });
    for (let k = 0; k < 20; k++) writeFileSync(join(d, `f${k}`), 'x');
  }
  symlinkSync('..', join(dir, 'd0', 'loop')); // never followed
  mkfifo(join(dir, 'fifo'), 0o600);            // never opened
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0);
}

t.test('runs over a tree and stops on request, again and again', async (t) => {
  const dir = varTmpDir(t);
  tree(dir);
  for (const threads of [1, 3, 8]) {
    const h = prefetchStart([Buffer.from(dir), Buffer.from(join(dir, 'missing')), Buffer.from(join(dir, 'fifo'))], threads === 3, threads);
    await new Promise((r) => setTimeout(r, 20));
    prefetchStop(h);
    prefetchStop(h); // a second stop is harmless
  }
  // stopped at once, before it could get far
  prefetchStop(prefetchStart([Buffer.from(dir)], false, 4));
  // left to finish on its own: its threads end when the tree is done
  prefetchStart([Buffer.from(dir)], false, 2);
  t.pass('no hang, no crash');
});

t.test('bad arguments', async (t) => {
  t.throws(() => prefetchStart([Buffer.from('/')], false, 0), { name: 'RangeError' });
  t.throws(() => prefetchStart([Buffer.from('/')], false, 9), { name: 'RangeError' });
  t.throws(() => prefetchStart([Buffer.from('a\0b')], false, 1));
  t.throws(() => prefetchStop({} as never), { name: 'TypeError' });
});
