// daemon/memory.ts — keeps the daemon's resident memory close to what its jobs hold:
//   tuneAllocator(): at start, before any worker thread exists: two malloc arenas (one per
//     core is plenty: threads mostly hand buffers over, not allocate in a race) and a
//     fixed 1 MiB mmap threshold, so segment and pack buffers go back to the kernel when
//     freed instead of staying in arenas; and V8 without incremental marking (see there).
//   releaseMemorySoon(): a second after the last job ended (and after start-up), a full GC
//     of the main isolate (ArrayBuffers that are garbage only go away with their JS
//     objects, and an idle daemon never collects), then malloc_trim. Measured with
//     npm run bench and /tmp heap snapshots (see issue 3).
// Called by main.ts (tuneAllocator) and daemon.ts (releaseMemorySoon on job.finished).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mallocTrim, mallocTune } from '../native/index.js';

const ARENAS = 2;
const MMAP_THRESHOLD = 1 << 20;

export function tuneAllocator(): void {
  mallocTune(ARENAS, MMAP_THRESHOLD);
  // No incremental marking: with segments and sealed packs streaming through the main
  // isolate as ArrayBuffers, V8 kept starting incremental marking on a ~22 MB heap that had
  // nothing to free (96 mark-compacts, ~3.9 s of the main thread on a 1 GB backup);
  // without it, 15 (0.6 s). The heap stays small, so a full pause is tens of ms.
  setFlagsFromString('--no-incremental-marking');
}

let gc: (() => void) | null | undefined;

/** The isolate's gc(), reached without starting node with --expose-gc. */
function fullGc(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    gc = null;
  }
  return gc;
}

export function releaseMemory(): void {
  fullGc()?.();
  mallocTrim();
}

let pending: NodeJS.Timeout | null = null;

/** releaseMemory once things have been quiet for `delayMs`: a burst of short jobs pays one
 *  release, not one each (20–80 ms of the main thread apiece, measured in the crash test,
 *  whose rounds run five jobs back to back). */
export function releaseMemorySoon(delayMs = 1000): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = null;
    releaseMemory();
  }, delayMs);
  pending.unref();
}
