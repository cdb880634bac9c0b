// The error table in shared/errors.ts must say exactly what API.md's Conventions say.
import t from 'tap';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ERROR_STATUS } from '../../shared/errors.js';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const apiMd = join(repoRoot, '..', 'shared', 'API.md');

t.test('every code of API.md has its status, and nothing more', { skip: !existsSync(apiMd) && 'API.md not beside the checkout' }, async (t) => {
  const text = readFileSync(apiMd, 'utf8');
  const line = text.split('\n').find((l) => l.includes('Codes and statuses')) ?? '';
  const para = text.slice(text.indexOf(line), text.indexOf('\n- ', text.indexOf(line)));
  const found = new Map<string, number>();
  for (const m of para.matchAll(/`([a-z_-]+)` (\d{3})/g)) found.set(m[1]!, Number(m[2]));
  t.ok(found.size >= 13, `parsed ${found.size} codes`);
  t.same(Object.fromEntries(found), ERROR_STATUS);
});
