// A temporary directory under /var/tmp (a disk file system: /tmp may be tmpfs, without
// user xattrs or sparse-file support), removed when the test ends, pass or fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface Teardown { teardown(fn: () => void | Promise<void>): void }

export function varTmpDir(t: Teardown): string {
  const dir = mkdtempSync(join('/var/tmp', 'cairn-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
