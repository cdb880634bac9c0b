// test/helpers/format-fixtures.ts — loads the golden vectors of test/fixtures/format/ (JSON,
// committed) from the source tree, whether the test runs from dist/ or not.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'test', 'fixtures', 'format');
    if (existsSync(candidate) && !dir.endsWith('dist')) return candidate;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/format not found above ' + fileURLToPath(import.meta.url));
}

/** The parsed JSON of test/fixtures/format/<name>. */
export function formatFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir(), name), 'utf8')) as T;
}

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** The golden master secret: bytes 0..63. */
export const GOLDEN_MASTER = Buffer.from(Array.from({ length: 64 }, (_, i) => i));
