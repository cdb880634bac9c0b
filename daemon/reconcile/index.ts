// daemon/reconcile — the startup reconcile that makes the index agree with storage after
// any crash (before `cairnd ready`), and the index rebuild from pack trailers
// (`cairn repair index`, maintenance `rebuild_cache`). Called by daemon.ts.
export { reconcile, rebuildIndex, indexPackFromTrailer } from './reconcile.js';
export type { ReconcileReport } from './reconcile.js';
