// The scan's filters on real fixture trees: restic exclude patterns (negation, env
// expansion, roots never excluded), CACHEDIR.TAG, one-file-system.
import t from 'tap';
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpDir } from '../../helpers/tmp.js';
import { ancestors, build, render, scanAll } from './fixture.js';

t.test('excludes: restic patterns, negation, env expansion, roots never excluded', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, {
    r: {
      'a.go': '', 'a.c': '', 'notes~': '',
      sub: { 'b.go': '', keep: { 'x.go': '', 'x.c': '' } },
      foo: { x: { y: { bar: { z: '' } } }, bar: '', baz: '' },
      junk: { inner: { 'y.txt': '' } },
      'hex:66ff2e746d70': '',
    },
  });
  const r = `${tmp}/r`;
  const events = scanAll({
    roots: [r],
    excludes: ['*.go', '!keep', 'foo/**/bar', '$JUNK', '*.tmp', '*~', '*.c', '!x.c', `${r}/sub/keep/x.c`],
  }, { JUNK: `${r}/junk` });
  const { open, close } = ancestors(tmp);
  t.same(render(events, tmp), [
    ...open, 'dir r',
    'dir r/foo', 'entry r/foo/baz type=0', 'dir r/foo/x', 'dir r/foo/x/y', 'end r/foo/x/y', 'end r/foo/x', 'end r/foo',
    'dir r/sub', 'dir r/sub/keep', 'entry r/sub/keep/x.go type=0', 'end r/sub/keep', 'end r/sub',
    'end r', ...close,
  ]);
  // A pattern matching the root itself leaves the root in; it still applies below it.
  const own = scanAll({ roots: [r], excludes: ['r'] });
  t.same(render(own, tmp), [...open, 'dir r', 'end r', ...close]);
  // Once a directory is excluded, a negative pattern cannot reach inside it (restic).
  const inside = scanAll({ roots: [r], excludes: ['sub', '!sub/keep'] });
  t.notOk(render(inside, tmp).some((l) => l.includes('r/sub')));
});

t.test('CACHEDIR.TAG: a tagged directory keeps only its tag file (restic)', async (t) => {
  const tmp = tmpDir(t);
  const sig = 'Signature: 8a477f597d28d172789f06886806bc55';
  build(tmp, {
    r: {
      cache: { 'CACHEDIR.TAG': `${sig}\n# a cache`, data: '', sub: { x: '' } },
      fake: { 'CACHEDIR.TAG': 'Signature: 8a477f597d28d172789f06886806bc5X', y: '' },
      short: { 'CACHEDIR.TAG': 'Signature:', z: '' },
    },
  });
  const events = scanAll({ roots: [`${tmp}/r`], excludeCaches: true });
  const { open, close } = ancestors(tmp);
  t.same(render(events, tmp), [
    ...open, 'dir r',
    'dir r/cache', 'entry r/cache/CACHEDIR.TAG type=0', 'end r/cache',
    'dir r/fake', 'note r/fake/CACHEDIR.TAG: invalid signature in exclusion tagfile',
    'entry r/fake/CACHEDIR.TAG type=0', 'entry r/fake/y type=0', 'end r/fake',
    'dir r/short', 'note r/short/CACHEDIR.TAG: invalid (too short) signature in exclusion tagfile',
    'entry r/short/CACHEDIR.TAG type=0', 'entry r/short/z type=0', 'end r/short',
    'end r', ...close,
  ]);
  const off = render(scanAll({ roots: [`${tmp}/r`] }), tmp);
  t.ok(off.includes('entry r/cache/sub/x type=0'), 'without excludeCaches the cache is scanned');
  // A root that is itself a cache directory keeps only its tag, as in restic.
  const asRoot = render(scanAll({ roots: [`${tmp}/r/cache`], excludeCaches: true }), tmp);
  t.same(asRoot.filter((l) => l.includes('r/cache')), ['dir r/cache', 'entry r/cache/CACHEDIR.TAG type=0', 'end r/cache']);
});

// /dev/shm is a tmpfs mounted inside /dev here; the temp dir is on another device.
const shmIsMount = lstatSync('/dev').dev !== lstatSync('/dev/shm').dev;
t.test('oneFileSystem keeps a mount point but not its contents', {
  skip: shmIsMount ? false : '/dev/shm is not a separate mount on this machine',
}, async (t) => {
  const shm = mkdtempSync('/dev/shm/cairn-test-');
  t.teardown(() => rmSync(shm, { recursive: true, force: true }));
  writeFileSync(`${shm}/file`, 'on tmpfs');
  const crossing = render(scanAll({ roots: ['/dev'], oneFileSystem: true }));
  const at = crossing.indexOf('dir /dev/shm');
  t.ok(at >= 0, 'the mount point is kept');
  t.equal(crossing[at + 1], 'end /dev/shm', 'with no children');
  const full = render(scanAll({ roots: ['/dev'], oneFileSystem: false }));
  t.ok(full.includes(`entry ${shm}/file type=0`), 'without the option the mount is scanned');
  // Each root is measured against its own device.
  const tmp = tmpDir(t);
  build(tmp, { r: { a: '' } });
  const both = render(scanAll({ roots: [`${tmp}/r`, shm], oneFileSystem: true }));
  t.ok(both.includes(`entry ${shm}/file type=0`));
  t.ok(both.includes(`entry ${tmp}/r/a type=0`));
});
