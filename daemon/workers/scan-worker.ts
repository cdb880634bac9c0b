// daemon/workers/scan-worker.ts — what the scan threads run (piscina's filename for the
// scans pool): the synchronous metadata walk of a backup, streamed to a port. Its own
// entry: a scan thread starts for each backup after a pause and loads only the walk.

import { prefetchStart, prefetchStop } from '../../native/index.js';
import { scanToPort } from '../walk/index.js';
import type { ScanTask } from './tasks.js';

/** Threads warming the kernel's caches ahead of the walk (native/src/prefetch.c): the
 *  cold re-backup of small-files took 1.49-1.65 s with 3, 1.79-2.03 s without. */
const PREFETCH_THREADS = 3;

export default function scan(t: ScanTask): null {
  const roots = t.roots.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength));
  const warm = t.prefetch && t.excludes.length === 0 && !t.excludeCaches
    ? prefetchStart(roots, t.oneFileSystem, PREFETCH_THREADS) : null;
  try {
    scanToPort({ roots, excludes: t.excludes, excludeCaches: t.excludeCaches, oneFileSystem: t.oneFileSystem }, t.port, t.control);
  } finally {
    if (warm) prefetchStop(warm);
  }
  return null;
}
