// daemon/snapshot/diff.ts on two real snapshots: every kind of change found with its
// before and after, recursive and one level, the summary, paths in invalid UTF-8, a
// paged directory on both sides, and what is NOT read: identical subtrees are not
// descended and identical pages of a paged directory are skipped (tree loads counted).
import t from 'tap';
import {
  countItem, decodeTree, diffTrees, emptySummary, loadTreeBytes, type DiffItem,
} from '../../../daemon/snapshot/index.js';
import { BAD, BIG, ETE, J, counting, makeFixture } from './browse-fixture.js';

const len = (s: string): number => Buffer.byteLength(s);

t.test('diff', async (t) => {
  const f = await makeFixture(t);
  const repo = f.h.repo;
  const s = Buffer.from(f.src);
  const rel = (p: Buffer): string => p.subarray(s.length).toString('latin1');
  const all = async (a: Buffer, b: Buffer, pa: Buffer | string, pb: Buffer | string, recursive = true): Promise<DiffItem[]> => {
    const out: DiffItem[] = [];
    const la = await f.at(a, pa).catch(() => null);
    const lb = await f.at(b, pb).catch(() => null);
    for await (const it of diffTrees(repo, la, lb, { recursive })) out.push(it);
    return out;
  };

  t.test('recursive: every change, in walk order, with before and after', async (t) => {
    const items = await all(f.root1, f.root2, s, s);
    t.same(items.map((i) => [i.change, rel(i.path)]), [
      ['modified', `/${BAD.toString('latin1')}`],
      ['modified', '/big/f03000'],
      ['added', '/big/f99999'],
      ['metadata', '/chmod.txt'],
      ['modified', '/edit.txt'],
      ['removed', '/gone'], ['removed', '/gone/g1'], ['removed', '/gone/sub'], ['removed', '/gone/sub/g2'],
      ['removed', '/kind'], ['added', '/kind'], ['added', '/kind/inside'],
      ['modified', '/link'],
      ['added', '/new'], ['added', '/new/inner'], ['added', '/new/inner/n2'], ['added', '/new/n1'],
      ['removed', '/removed.txt'],
      ['metadata', '/touch.txt'],
      ['added', `/${ETE.toString('latin1')}`],
    ]);
    const by = (c: string, p: string): DiffItem => items.find((i) => i.change === c && rel(i.path) === p)!;
    const chmod = by('metadata', '/chmod.txt');
    t.equal(chmod.before!.node.mode & 0o777, 0o666 & ~process.umask(), 'before: the old mode');
    t.equal(chmod.after!.node.mode & 0o777, 0o600, 'after: the new mode');
    t.ok(chmod.before!.node.content![0]!.equals(chmod.after!.node.content![0]!), 'same content');
    const edit = by('modified', '/edit.txt');
    t.equal(edit.before!.node.size, len('line 1\nline 2\nline 3\n'));
    t.equal(edit.after!.node.size, len('line 1\nline two\nline 3\nline 4\n'));
    t.equal(by('removed', '/gone/g1').after, null, 'removed: no after');
    t.equal(by('added', '/new/n1').before, null, 'added: no before');
    t.equal(by('removed', '/kind').type, 0, 'the file that was');
    t.equal(by('added', '/kind').type, 1, 'the directory that is');
    t.equal(by('modified', '/link').after!.node.target!.toString(), 'target-two');
    t.ok(by('added', `/${ETE.toString('latin1')}`).path.equals(J(s, ETE)), 'an invalid UTF-8 path as bytes');

    const sum = emptySummary();
    for (const i of items) countItem(sum, i);
    t.same(sum, {
      added: 8, removed: 6, modified: 4, metadata: 2,
      bytes_added: len('added at the end of big\n') + len('now a directory') + len('n2!') + len('n1') + len('added, with an invalid utf-8 name')
        + (len('file 3000, changed\n') - len('file 3000\n')) + (len('line 1\nline two\nline 3\nline 4\n') - len('line 1\nline 2\nline 3\n'))
        + (len('invalid utf-8 name, version 2') - len('invalid utf-8 name, v1')),
      bytes_removed: len('g1') + len('g22') + len('a file that becomes a directory') + len('removed later (7 bytes more)'),
    });
    const back = await all(f.root2, f.root1, s, s);
    t.equal(back.filter((i) => i.change === 'added').length, 6, 'reversed: what was removed is added');
    t.equal(back.filter((i) => i.change === 'removed').length, 8);
  });

  t.test('one level: a directory whose contents differ is one modified item', async (t) => {
    const items = await all(f.root1, f.root2, s, s, false);
    t.same(items.map((i) => [i.change, rel(i.path)]), [
      ['modified', `/${BAD.toString('latin1')}`], ['modified', '/big'], ['metadata', '/chmod.txt'], ['modified', '/edit.txt'],
      ['removed', '/gone'], ['removed', '/kind'], ['added', '/kind'], ['modified', '/link'], ['added', '/new'],
      ['removed', '/removed.txt'], ['metadata', '/touch.txt'], ['added', `/${ETE.toString('latin1')}`],
    ]);
    const c1 = await f.at(f.root1, J(s, 'ctime-only'));
    const c2 = await f.at(f.root2, J(s, 'ctime-only'));
    t.notOk(c1.tree!.equals(c2.tree!), 'ctime-only/ has another tree id (a ctime changed)…');
    t.notOk(items.some((i) => rel(i.path) === '/ctime-only'), '…but nothing diff compares: not modified');
  });

  t.test('two paths, a file pair, a path on one side only', async (t) => {
    const files = await all(f.root1, f.root2, J(s, 'edit.txt'), J(s, 'edit.txt'));
    t.same(files.map((i) => [i.change, rel(i.path)]), [['modified', '/edit.txt']]);
    const other = await all(f.root1, f.root2, J(s, 'gone'), J(s, 'new'));
    t.same(other.map((i) => [i.change, rel(i.path)]), [
      ['removed', '/gone/g1'], ['added', '/new/inner'], ['added', '/new/inner/n2'], ['added', '/new/n1'], ['removed', '/gone/sub'], ['removed', '/gone/sub/g2'],
    ], 'path_b: the two directories merged by name');
    const onlyB = await all(f.root1, f.root2, J(s, 'new'), J(s, 'new'));
    t.same(onlyB.map((i) => i.change), ['added', 'added', 'added', 'added'], 'absent in a: everything added');
    t.same((await all(f.root1, f.root2, J(s, 'new'), J(s, 'new'), false)).length, 1, 'one level: the directory alone');
  });

  t.test('nothing identical is read', async (t) => {
    const c = counting(repo);
    const la = await f.at(f.root1, s);
    const lb = await f.at(f.root2, s);
    const loaded = (): Set<string> => new Set(c.loads.map((id) => id.toString('hex')));
    for await (const _ of diffTrees(c.repo, la, lb)) { /* drain */ }
    const same = await f.at(f.root2, J(s, 'same'));
    const deeper = await f.at(f.root2, J(s, 'same', 'deeper'));
    t.notOk(loaded().has(same.tree!.toString('hex')), 'the unchanged directory is not loaded');
    t.notOk(loaded().has(deeper.tree!.toString('hex')), 'nor anything below it');
    const pageIds = async (root: Buffer): Promise<string[]> => {
      const l = await f.at(root, J(s, 'big'));
      const d = decodeTree(await loadTreeBytes(repo, l.tree!));
      return d.kind === 'index' ? d.pages.map((p) => p.id.toString('hex')) : [];
    };
    const p1 = await pageIds(f.root1);
    const p2 = await pageIds(f.root2);
    t.ok(p1.length >= 5 && p2.length >= 5, `big/ is paged on both sides (${p1.length}, ${p2.length} pages of ${BIG}+ entries)`);
    const bigLoads = [...p1, ...p2].filter((id) => loaded().has(id)).length;
    t.ok(bigLoads <= 4, `only the changed pages are read: ${bigLoads} of ${p1.length + p2.length}`);
    t.ok(bigLoads >= 2, 'the changed pages are read');

    const self = counting(repo);
    const items: DiffItem[] = [];
    for await (const it of diffTrees(self.repo, la, la)) items.push(it);
    t.same(items, [], 'a snapshot against itself: no change');
    t.equal(self.loads.length, 0, '…and no tree read');
  });
});
