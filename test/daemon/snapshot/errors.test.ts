// daemon/snapshot/errors.ts on trees written by hand into a real repository (as root the
// backup reads everything, so errors are made, not met): entries with an error at or below
// a path, found through the snapshot's error page with lookups only, and by walking when
// the page is missing or was cut short; the same answers either way; none when the
// backup met no error.
import t from 'tap';
import { encodeCanonical } from '../../../daemon/msgpack.js';
import { Session } from '../../../daemon/repository/index.js';
import {
  entriesWithErrors, ERROR_PAGE_MAX, lookupPath, NodeType, writeDir, type ErrorSource, type TreeNode,
} from '../../../daemon/snapshot/index.js';
import { makeTestRepo } from '../../helpers/repo.js';
import { counting } from './browse-fixture.js';

const node = (name: string, type: TreeNode['type'], o: Partial<TreeNode> = {}): TreeNode => ({
  name: Buffer.from(name), type, mode: 0o644, uid: 0, gid: 0, user: null, group: null, size: 0, mtime: [1, 0], atime: [1, 0],
  ctime: [1, 0], ino: 0, nlink: 1, rdev: 0, xattrs: [], target: null, content: type === NodeType.file ? [] : null, subtree: null,
  error: null, ...o,
});

t.test('entries with errors', async (t) => {
  const h = await makeTestRepo(t);
  const session = new Session(h.repo);
  const p = h.repo.config.dirPage;
  const dir = async (name: string, kids: TreeNode[], o: Partial<TreeNode> = {}): Promise<TreeNode> =>
    node(name, NodeType.dir, { subtree: await writeDir(session, kids, p), ...o });
  const clean = await dir('clean', [node('c1', NodeType.file), node('c2', NodeType.file)]);
  const a = await dir('a', [node('x', NodeType.file, { error: 'EACCES: x' }), node('y', NodeType.file)]);
  const locked = await dir('locked', [], { error: 'EACCES: locked' });
  const root = await writeDir(session, [a, node('b', NodeType.file, { error: 'EIO: b' }), clean, locked], p);
  const rows = [['/a/x', 'EACCES: x'], ['/b', 'EIO: b'], ['/locked', 'EACCES: locked'], ['/vanished', 'ENOENT: vanished during the backup']];
  const page = await session.storeTree(encodeCanonical([1, rows.map(([path, m]) => [Buffer.from(path!), m])]), 3);
  await session.flush();
  await session.abort();

  const run = async (s: ErrorSource, at: string): Promise<{ found: string[]; loads: string[] }> => {
    const c = counting(h.repo);
    const l = await lookupPath(h.repo, root, Buffer.from(at));
    const before = c.loads.length;
    const found: string[] = [];
    for await (const e of entriesWithErrors(c.repo, s, l)) found.push(`${e.path.toString()} ${e.node.error}`);
    return { found: found.sort(), loads: c.loads.slice(before).map((id) => id.toString('hex')) };
  };
  const withPage: ErrorSource = { root, page, count: rows.length };
  const all = ['/a/x EACCES: x', '/b EIO: b', '/locked EACCES: locked'];

  const paged = await run(withPage, '/');
  t.same(paged.found, all, 'through the page: every entry of the tree with an error (not the vanished one)');
  t.notOk(paged.loads.includes(clean.subtree!.toString('hex')), 'a directory without errors is not read');
  const walked = await run({ root, page: null, count: rows.length }, '/');
  t.same(walked.found, all, 'walking: the same');
  t.ok(walked.loads.includes(clean.subtree!.toString('hex')), 'the walk reads everything');
  t.same((await run({ root, page, count: ERROR_PAGE_MAX + 1 }, '/')).found, all, 'a page cut short: walked');
  t.same((await run({ root, page: Buffer.alloc(32, 7), count: 4 }, '/')).found, all, 'a page that cannot be read: walked');

  t.same((await run(withPage, '/a')).found, ['/a/x EACCES: x'], 'below a path');
  t.same((await run(withPage, '/b')).found, ['/b EIO: b'], 'a path that is itself an error');
  t.same((await run(withPage, '/locked')).found, ['/locked EACCES: locked'], 'an unreadable directory');
  t.same((await run(withPage, '/clean')).found, []);
  const none = await run({ root, page: null, count: 0 }, '/');
  t.same([none.found, none.loads], [[], []], 'no errors at backup: nothing read');
});
