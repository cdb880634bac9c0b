// tui/ imports only shared/ and libraries, never daemon/ or native/ (DESIGN §2), and
// enters any folder that is not its own (or above it) only through that folder's index.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import { ROOT } from './fake-cairnd.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : name.endsWith('.ts') ? [p] : [];
  });
}

const SPEC = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

t.test('tui/ imports', async (t) => {
  const files = tsFiles(join(ROOT, 'tui'));
  t.ok(files.length > 10);
  for (const file of files) {
    const rel = relative(ROOT, file);
    for (const m of readFileSync(file, 'utf8').matchAll(SPEC)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      t.ok(spec.endsWith('.js'), `${rel}: ${spec} has a .js extension`);
      const target = relative(ROOT, resolve(dirname(file), spec));
      const top = target.split('/')[0];
      t.ok(top === 'tui' || top === 'shared', `${rel} imports ${target}`);
      // A folder other than the importer's own or one above it is entered through its index.
      const targetDir = dirname(target);
      const fromDir = relative(ROOT, dirname(file));
      // shared/ itself has no index: its files (errors, paths, routes…) are its doors.
      const above = targetDir === 'shared' || fromDir === targetDir || fromDir.startsWith(targetDir + '/');
      if (!above) t.equal(target.split('/').at(-1), 'index.js', `${rel} enters ${targetDir} through its index: ${target}`);
    }
  }
});
