// daemon/snapshot — the tree model and what reads it: canonical tree encoding (tree.ts),
// trees through a repository with the decrypted cache and directory pages (trees.ts), the
// snapshot set with `latest` and reference resolution (snapshots.ts), path lookup inside a
// snapshot (paths.ts), and a file's bytes [start, end) read chunk by chunk, authenticated
// (open-file-range.ts). Called by reconcile/, the engines and the API.
// Browsing: the one lazy walker (walk.ts), diff as a merge walk of two trees (diff.ts,
// node-change.ts), search/locate matching (find.ts, glob.ts), entries a backup could not read
// (errors.ts), a small file in one piece (read-whole.ts).
export { NodeType, encodeLeaf, encodeIndexPage, decodeTree, nodeToArray, compareNames } from './tree.js';
export type { TreeNode, TreePage, DecodedTree, NodeTypeCode, Time } from './tree.js';
export { initTrees, loadTreeBytes, loadDir, iterDir, findInDir, writeDir } from './trees.js';
export type { DirPageParams } from './trees.js';
export { listSnapshots, latestSnapshot, resolveSnapshot } from './snapshots.js';
export type { SnapshotInfo } from './snapshots.js';
export { lookupPath, splitPath } from './paths.js';
export type { Located } from './paths.js';
export { walkTree, joinPath, Pacer } from './walk.js';
export type { WalkEntry, WalkOptions } from './walk.js';
export { diffTrees, emptySummary, countItem } from './diff.js';
export type { DiffChange, DiffItem, DiffOptions, DiffSummary, Version } from './diff.js';
export { nodeChange, sameContent, sameMetadata } from './node-change.js';
export type { NodeChange } from './node-change.js';
export { compileFind } from './find.js';
export type { FindQuery, EntryMatcher } from './find.js';
export { readWholeFile } from './read-whole.js';
export { entriesWithErrors, ERROR_PAGE_MAX } from './errors.js';
export type { ErrorEntry, ErrorSource } from './errors.js';
export { openFileRange, zeroChunkOf, GroupCache } from './open-file-range.js';
export type { FileRangeRepo, FileRangeOptions } from './open-file-range.js';
