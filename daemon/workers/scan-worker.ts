// daemon/workers/scan-worker.ts — what the scan threads run (piscina's filename for the
// scans pool): the synchronous metadata walk of a backup, streamed to a port. Its own
// entry: a scan thread starts for each backup after a pause and loads only the walk.

import { scanToPort } from '../walk/index.js';
import type { ScanTask } from './tasks.js';

export default function scan(t: ScanTask): null {
  scanToPort({
    roots: t.roots.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)),
    excludes: t.excludes,
    excludeCaches: t.excludeCaches,
    oneFileSystem: t.oneFileSystem,
  }, t.port, t.control);
  return null;
}
