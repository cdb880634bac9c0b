// The synchronous scan on real fixture trees in temp dirs: event order, ancestors of
// roots, root kinds, errors, special files, a large and a deep directory, metadata,
// stopping, bad roots. The filters are in scan-tree-filters.test.ts.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { tmpDir } from '../../helpers/tmp.js';
import { CairnError } from '../../../daemon/errors.js';
import { lsetxattr, mknod, mkfifo, utimensat } from '../../../native/index.js';
import { compileExcludes, scanTree, type ScanEvent } from '../../../daemon/walk/index.js';
import { ancestors, build, join, nodeAt, render, scanAll, show, treeProblems } from './fixture.js';

const isRoot = process.getuid?.() === 0;

t.test('entries come sorted by raw name bytes; invalid UTF-8 names survive', async (t) => {
  const tmp = tmpDir(t);
  // U+1F600 sorts before U+FF5E as UTF-16 but after it as bytes (F0… > EF…).
  build(tmp, { r: { b: '', a: '', B: '', 'hex:66ff': 'raw', '😀': '', 'é': '', '～': '', '~': '', f: { x: '' } } });
  const events = scanAll({ roots: [join(tmp, 'r')] });
  const { open, close } = ancestors(tmp);
  t.same(render(events, tmp), [
    ...open, 'dir r',
    'entry r/B type=0', 'entry r/a type=0', 'entry r/b type=0',
    'dir r/f', 'entry r/f/x type=0', 'end r/f',
    'entry r/f\\xff type=0', 'entry r/~ type=0', 'entry r/\\xc3\\xa9 type=0',
    'entry r/\\xef\\xbd\\x9e type=0', 'entry r/\\xf0\\x9f\\x98\\x80 type=0',
    'end r', ...close,
  ]);
  t.same(treeProblems(events), []);
  const raw = nodeAt(events, join(tmp, Buffer.from('r/\x66\xff', 'latin1')));
  t.ok(raw.name.equals(Buffer.from([0x66, 0xff])), 'the name is the raw bytes');
  t.equal(raw.size, 3);
});

t.test('ancestors of roots hold only the children leading to roots; several roots', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, {
    sibling: 'not wanted',
    a: { b: { c: { file: '' }, other: '' }, d: 'root file', e: { f: '' } },
    z: { link: { symlink: '../a' } },
  });
  const roots = [join(tmp, 'z/link'), join(tmp, 'a/d'), join(tmp, 'a/b/c'), join(tmp, 'a/nothing')]; // unsorted on purpose
  const events = scanAll({ roots });
  const { open, close } = ancestors(tmp);
  t.same(render(events, tmp), [
    ...open,
    'dir a',
    'dir a/b', 'dir a/b/c', 'entry a/b/c/file type=0', 'end a/b/c', 'end a/b',
    'entry a/d type=0',
    'error a/nothing: no such file or directory (ENOENT, lstat)',
    'end a',
    'dir z', 'entry z/link type=2', 'end z',
    ...close,
  ]);
  t.same(treeProblems(events), []);
  const link = nodeAt(events, join(tmp, 'z/link'));
  t.ok(link.target?.equals(Buffer.from('../a')), 'a symlink root is not followed');
  const top = events[0]!;
  t.ok(top.t === 'dir' && top.node.name.length === 0 && top.node.ino === Number(lstatSync('/', { bigint: true }).ino), '/ is an lstat of /, with an empty name');
  const ancestor = nodeAt(events, join(tmp, 'a'));
  t.equal(ancestor.ino, lstatSync(`${tmp}/a`).ino, 'ancestors carry their own metadata');
  t.equal(ancestor.type, 1);
});

t.test('a root below something that is not a directory is an error', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, { f: 'plain', l: { symlink: '.' } });
  const events = scanAll({ roots: [join(tmp, 'f/x'), join(tmp, 'l/f')] });
  const lines = render(events, tmp);
  t.ok(lines.includes(`error f/x: ${tmp}/f is not a directory`));
  t.ok(lines.includes(`error l/f: ${tmp}/l is not a directory`), 'a symlinked ancestor is not followed');
  t.same(treeProblems(events), []);
});

t.test('a directory that cannot be listed: dir with error, then end', async (t) => {
  const tmp = tmpDir(t);
  chmodSync(tmp, 0o755);
  build(tmp, { r: { locked: { secret: '' }, open: '' } });
  const locked = `${tmp}/r/locked`;
  chmodSync(locked, 0o000);
  let lines: string[];
  try {
    if (isRoot) {
      // root bypasses permission checks: scan as nobody in a child process.
      const cli = fileURLToPath(new URL('./scan-cli.js', import.meta.url));
      const res = spawnSync(process.execPath, [cli, JSON.stringify({ roots: [Buffer.from(`${tmp}/r`).toString('hex')] })],
        { uid: 65534, gid: 65534, encoding: 'utf8' });
      t.equal(res.status, 0, res.stderr);
      lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
    } else {
      lines = scanAll({ roots: [`${tmp}/r`] }).map((ev) => {
        const line = render([ev])[0]!;
        return ev.t === 'dir' && ev.node.error ? `${line} (${ev.node.error})` : line;
      });
    }
  } finally {
    chmodSync(locked, 0o755);
  }
  const at = lines.indexOf(`dir ${locked} ! (cannot list directory: permission denied (EACCES, scandir))`);
  t.ok(at >= 0, 'the directory is kept with its error');
  t.equal(lines[at + 1], `end ${locked}`, 'and ends at once');
  t.notOk(lines.some((l) => l.includes('secret')));
  t.ok(lines.includes(`entry ${tmp}/r/open type=0`), 'the scan goes on');
});

t.test('an entry that vanishes between readdir and lstat is an error event', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, { v: { a: '', b: '', c: { deep: '' }, d: '' } });
  const v = Buffer.from(`${tmp}/v`);
  const events: ScanEvent[] = [];
  for (const ev of scanTree({ roots: [v], excludes: [], excludeCaches: false, oneFileSystem: false }, compileExcludes([]))) {
    events.push(ev);
    if (ev.t === 'dir' && ev.node.path.equals(v)) {
      rmSync(`${tmp}/v/b`);
      rmSync(`${tmp}/v/c`, { recursive: true });
    }
  }
  const { open, close } = ancestors(tmp);
  t.same(render(events, tmp), [
    ...open, 'dir v', 'entry v/a type=0',
    'error v/b: vanished or unreadable: no such file or directory (ENOENT, lstat)',
    'error v/c: vanished or unreadable: no such file or directory (ENOENT, lstat)',
    'entry v/d type=0', 'end v', ...close,
  ]);
});

t.test('fifos and devices are entries, sockets only a note', async (t) => {
  const tmp = tmpDir(t);
  mkdirSync(`${tmp}/s`);
  mkfifo(`${tmp}/s/fifo`, 0o644);
  if (isRoot) {
    mknod(`${tmp}/s/blk`, 0o060600, 1992n); // block 7:200
    mknod(`${tmp}/s/chr`, 0o020600, 259n); // char 1:3
  }
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(`${tmp}/s/sock`, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const events = scanAll({ roots: [`${tmp}/s`, '/dev/null'] });
  const lines = render(events, tmp);
  t.ok(lines.includes('entry s/fifo type=3'));
  t.ok(lines.includes('note s/sock: socket skipped'));
  t.notOk(lines.some((l) => l.startsWith('entry s/sock')), 'a socket is not in the tree');
  t.ok(lines.includes('entry /dev/null type=4'), 'a character device root');
  t.equal(nodeAt(events, '/dev/null').rdev, Number(lstatSync('/dev/null', { bigint: true }).rdev));
  if (isRoot) {
    t.ok(lines.includes('entry s/blk type=5'));
    t.equal(nodeAt(events, `${tmp}/s/blk`).rdev, 1992);
    t.equal(nodeAt(events, `${tmp}/s/chr`).type, 4);
  } else {
    t.comment('block device: mknod needs root, not tested');
  }
  t.same(treeProblems(events), []);
});

t.test('a directory of 5,000 files and a path 60 directories deep', async (t) => {
  const tmp = tmpDir(t);
  mkdirSync(`${tmp}/big`);
  const names: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const name = `f${(i * 7919) % 5000}`;
    names.push(name);
    writeFileSync(`${tmp}/big/${name}`, '');
  }
  const big = scanAll({ roots: [`${tmp}/big`] });
  const entries = big.filter((e) => e.t === 'entry').map((e) => (e.t === 'entry' ? e.node.name.toString() : ''));
  t.equal(entries.length, 5000);
  t.same(entries, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  t.same(treeProblems(big), []);

  let deep = `${tmp}/deep`;
  for (let i = 0; i < 60; i++) deep += `/d${i}`;
  mkdirSync(deep, { recursive: true });
  writeFileSync(`${deep}/bottom`, 'x');
  const events = scanAll({ roots: [`${tmp}/deep`] });
  t.same(treeProblems(events), []);
  const below = events.filter((e) => e.t === 'dir' && show(e.node.path).startsWith(`${tmp}/deep/`));
  t.equal(below.length, 60);
  t.ok(render(events).includes(`entry ${deep}/bottom type=0`));
});

t.test('node metadata: mode bits, ns times, owners, xattrs, links', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, { m: { file: 'hello', link: { symlink: Buffer.from([0x74, 0xff]) } } });
  const file = `${tmp}/m/file`;
  chmodSync(file, 0o4751);
  linkSync(file, `${tmp}/m/hard`);
  utimensat(file, [1_700_000_000n, 123_456_789], [-2n, 5], false);
  lsetxattr(file, Buffer.from('user.z'), Buffer.from('last'));
  lsetxattr(file, Buffer.from('user.a'), Buffer.from([0x00, 0xff]));
  const events = scanAll({ roots: [`${tmp}/m`] });
  const n = nodeAt(events, file);
  const st = lstatSync(file, { bigint: true });
  t.equal(n.type, 0);
  t.equal(n.mode, 0o4751);
  t.equal(n.size, 5);
  t.same(n.mtime, [-2, 5], 'a time before the epoch: floored seconds, positive ns');
  t.same(n.atime, [1_700_000_000, 123_456_789]);
  t.same(n.ctime, [Number(st.ctimeNs / 1_000_000_000n), Number(st.ctimeNs % 1_000_000_000n)]);
  t.equal(n.nlink, 2);
  t.equal(n.ino, Number(st.ino));
  t.equal(n.dev, Number(st.dev));
  t.equal(n.blocks, Number(st.blocks));
  t.equal(n.uid, process.getuid!());
  t.equal(n.user, userInfo().username);
  t.type(n.group, 'string');
  t.same(n.xattrs.map(([k, v]) => [k.toString(), v.toString('hex')]), [['user.a', '00ff'], ['user.z', Buffer.from('last').toString('hex')]]);
  t.equal(n.target, null);
  t.equal(n.error, null);
  const link = nodeAt(events, `${tmp}/m/link`);
  t.equal(link.type, 2);
  t.ok(link.target?.equals(Buffer.from([0x74, 0xff])), 'a link target is raw bytes');
  t.equal(nodeAt(events, `${tmp}/m/hard`).ino, n.ino);
});

t.test('shouldStop ends the scan between entries', async (t) => {
  const tmp = tmpDir(t);
  build(tmp, { r: { a: '', b: '', c: '', d: '', e: '' } });
  let calls = 0;
  const opts = { roots: [Buffer.from(`${tmp}/r`)], excludes: [], excludeCaches: false, oneFileSystem: false };
  // One poll per directory above the root and the root itself, then one per entry.
  const events = [...scanTree(opts, compileExcludes([]), () => ++calls > tmp.split('/').length + 1 + 2)];
  const entries = render(events, tmp).filter((l) => l.startsWith('entry'));
  t.same(entries, ['entry r/a type=0', 'entry r/b type=0'], 'stopped after two entries');
  t.notOk(events.some((e) => e.t === 'end'), 'no directory is ended after the stop');

  // The whole file system, stopped early: it starts at / with sorted entries.
  calls = 0;
  const slash = [...scanTree({ ...opts, roots: [Buffer.from('/')] }, compileExcludes([]), () => ++calls > 5)];
  t.equal(slash.filter((e) => e.t !== 'end').length, 5, 'the directory / and four of its entries');
  t.ok(slash[0]!.t === 'dir' && show(slash[0]!.node.path) === '/');
  const problems = treeProblems(slash);
  t.equal(problems.length, 1);
  t.match(problems[0], /^unclosed: \//);
});

t.test('bad roots are rejected with invalid_params', async (t) => {
  const bad: Buffer[][] = [[], [Buffer.from('relative/path')], [Buffer.from('/a'), Buffer.from('/a/b')],
    [Buffer.from('/a/b'), Buffer.from('/a')], [Buffer.from('/'), Buffer.from('/x')], [Buffer.from('/a/../b')]];
  for (const roots of bad) {
    let error: unknown = null;
    try {
      [...scanTree({ roots, excludes: [], excludeCaches: false, oneFileSystem: false }, compileExcludes([]))];
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof CairnError && error.code === 'invalid_params' && 'paths' in error.params,
      `${roots.map(show).join(', ') || 'no roots'}: ${String(error)}`);
  }
});
