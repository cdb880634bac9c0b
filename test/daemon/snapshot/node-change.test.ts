// daemon/snapshot/node-change.ts: what counts as a content change and what as metadata
// only, from tree nodes alone (a table).
import t from 'tap';
import { nodeChange, NodeType, type TreeNode } from '../../../daemon/snapshot/index.js';

const id = (n: number): Buffer => Buffer.alloc(32, n);
const base: TreeNode = {
  name: Buffer.from('x'), type: NodeType.file, mode: 0o644, uid: 1000, gid: 1000, user: 'ann', group: 'ann', size: 10,
  mtime: [100, 5], atime: [100, 5], ctime: [100, 5], ino: 7, nlink: 1, rdev: 0, xattrs: [[Buffer.from('user.a'), Buffer.from('1')]],
  target: null, content: [id(1), id(2)], subtree: null, error: null,
};
const dir: TreeNode = { ...base, type: NodeType.dir, content: null, subtree: id(9), size: 0 };
const link: TreeNode = { ...base, type: NodeType.symlink, content: null, target: Buffer.from('t') };
const dev: TreeNode = { ...base, type: NodeType.char, content: null, rdev: 259 };

const cases: Array<[string, TreeNode, Partial<TreeNode>, string]> = [
  ['identical', base, {}, 'same'],
  ['atime, ctime, inode, nlink only', base, { atime: [1, 1], ctime: [2, 2], ino: 8, nlink: 3 }, 'same'],
  ['one chunk differs', base, { content: [id(1), id(3)] }, 'content'],
  ['chunk order', base, { content: [id(2), id(1)] }, 'content'],
  ['a chunk more', base, { content: [id(1), id(2), id(3)], size: 20 }, 'content'],
  ['size alone', base, { size: 11 }, 'content'],
  ['unreadable now', base, { content: null, error: 'EACCES' }, 'content'],
  ['mode', base, { mode: 0o600 }, 'metadata'],
  ['uid', base, { uid: 0 }, 'metadata'],
  ['group name', base, { group: 'staff' }, 'metadata'],
  ['mtime nanoseconds', base, { mtime: [100, 6] }, 'metadata'],
  ['xattr value', base, { xattrs: [[Buffer.from('user.a'), Buffer.from('2')]] }, 'metadata'],
  ['xattr added', base, { xattrs: [[Buffer.from('user.a'), Buffer.from('1')], [Buffer.from('user.b'), Buffer.from('')]] }, 'metadata'],
  ['content and mode', base, { content: [id(4)], mode: 0o600 }, 'content'],
  ['file → directory', base, { type: NodeType.dir, subtree: id(9), content: null }, 'type'],
  ['directory, same tree', dir, {}, 'same'],
  ['directory, other tree', dir, { subtree: id(8) }, 'content'],
  ['directory mtime', dir, { mtime: [1, 0] }, 'metadata'],
  ['symlink target', link, { target: Buffer.from('u') }, 'content'],
  ['device number', dev, { rdev: 260 }, 'content'],
];

for (const [what, a, change, want] of cases) {
  t.equal(nodeChange(a, { ...a, ...change }), want, what);
}
