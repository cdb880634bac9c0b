// test/helpers/tmp.ts — temporary directories that are removed when the test ends,
// pass or fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Teardown { teardown(fn: () => void | Promise<void>): void }

export function tmpDir(t: Teardown, prefix = 'cairn-test-'): string {
  const dir = mkdtempSync(join(process.env.CAIRN_TEST_TMP ?? tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
