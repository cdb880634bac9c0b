// daemon/snapshot — the tree model and what reads it: canonical tree encoding (tree.ts),
// trees through a repository with the decrypted cache and directory pages (trees.ts), the
// snapshot set with `latest` and reference resolution (snapshots.ts), and path lookup
// inside a snapshot (paths.ts). Called by reconcile/, the engines and the API.
export { NodeType, encodeLeaf, encodeIndexPage, decodeTree, nodeToArray, compareNames } from './tree.js';
export type { TreeNode, TreePage, DecodedTree, NodeTypeCode, Time } from './tree.js';
export { initTrees, loadTreeBytes, loadDir, iterDir, findInDir, writeDir } from './trees.js';
export type { DirPageParams } from './trees.js';
export { listSnapshots, latestSnapshot, resolveSnapshot } from './snapshots.js';
export type { SnapshotInfo } from './snapshots.js';
export { lookupPath, splitPath } from './paths.js';
export type { Located } from './paths.js';
