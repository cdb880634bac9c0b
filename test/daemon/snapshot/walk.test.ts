// daemon/snapshot/walk.ts on real snapshots: every entry once, in pre-order with names in
// byte order (as the source tree holds them, invalid UTF-8 included), across a directory
// cut into pages; one level; skipping a directory's contents; and laziness: stopping
// early loads only the pages it reached.
import t from 'tap';
import { lstatSync, readdirSync } from 'node:fs';
import { decodeTree, loadTreeBytes, walkTree, NodeType } from '../../../daemon/snapshot/index.js';
import { BIG, J, BAD, counting, makeFixture } from './browse-fixture.js';

/** The source tree in pre-order, names sorted by bytes: [path, isDir]. */
function fsWalk(dir: Buffer, out: Array<[string, boolean]> = []): Array<[string, boolean]> {
  for (const n of readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare)) {
    const p = J(dir, n);
    const isDir = lstatSync(p).isDirectory();
    out.push([p.toString('hex'), isDir]);
    if (isDir) fsWalk(p, out);
  }
  return out;
}

t.test('the walker', async (t) => {
  const f = await makeFixture(t);
  const repo = f.h.repo;
  const src = await f.at(f.root2, f.src);
  const big = await f.at(f.root2, J(f.src, 'big'));
  const top = decodeTree(await loadTreeBytes(repo, big.tree!));
  t.equal(top.kind, 'index', 'big/ is cut into pages');
  const pages = top.kind === 'index' ? top.pages.length : 1;
  t.ok(pages >= 5, `${pages} pages`);

  t.test('every entry once, in pre-order, names in byte order', async (t) => {
    const got: Array<[string, boolean]> = [];
    const depths = new Map<number, number>();
    for await (const e of walkTree(repo, src.tree!, src.path)) {
      got.push([e.path.toString('hex'), e.node.type === NodeType.dir]);
      depths.set(e.depth, (depths.get(e.depth) ?? 0) + 1);
    }
    const want = fsWalk(Buffer.from(f.src));
    t.equal(got.length, want.length, `${want.length} entries`);
    t.same(got, want, 'same entries in the same order');
    t.ok(got.some(([p]) => p === J(f.src, BAD).toString('hex')), 'the invalid UTF-8 name is there as bytes');
    t.equal(depths.get(3), 2, 'two entries three levels down (new/inner/n2, same/deeper/x)');
    t.ok((depths.get(2) ?? 0) > BIG, 'depth counts entries below the start');
  });

  t.test('one level', async (t) => {
    const got: string[] = [];
    for await (const e of walkTree(repo, src.tree!, src.path, { recursive: false })) got.push(e.node.name.toString('latin1'));
    const want = readdirSync(f.src, { encoding: 'buffer' }).sort(Buffer.compare).map((n) => n.toString('latin1'));
    t.same(got, want);
  });

  t.test('descend: false skips a directory\'s contents, not the directory', async (t) => {
    const got: string[] = [];
    const walk = walkTree(repo, src.tree!, src.path, { descend: (e) => !e.node.name.equals(Buffer.from('big')) });
    for await (const e of walk) got.push(e.path.toString('latin1'));
    t.ok(got.includes(J(f.src, 'big').toString('latin1')), 'big itself');
    t.notOk(got.some((p) => p.startsWith(J(f.src, 'big', '').toString('latin1'))), 'nothing below big');
    t.ok(got.includes(J(f.src, 'new', 'inner', 'n2').toString('latin1')), 'other directories still walked');
  });

  t.test('lazy: stopping early reads only what it reached', async (t) => {
    const c = counting(repo);
    let n = 0;
    for await (const e of walkTree(c.repo, big.tree!, big.path)) {
      t.ok(e.node.name.toString().startsWith('f'));
      if (++n === 10) break;
    }
    t.equal(c.loads.length, 2, 'the index page and the first leaf page');
    const all = counting(repo);
    let count = 0;
    for await (const _ of walkTree(all.repo, big.tree!, big.path)) count++;
    t.equal(count, BIG + 1, 'every entry of big/');
    t.equal(all.loads.length, pages + 1, 'each page loaded once, plus the index page');
  });

  t.test('an aborted walk stops', async (t) => {
    const ac = new AbortController();
    let n = 0;
    await t.rejects((async () => {
      for await (const _ of walkTree(repo, big.tree!, big.path, { signal: ac.signal })) if (++n === 300) ac.abort();
    })(), { name: 'CancelledError' });
    t.ok(n < 600, `stopped after ${n} entries`);
  });
});
