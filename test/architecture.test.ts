// test/architecture.test.ts — DESIGN §2's layout and import rules, checked on the product
// sources (shared/, native/, daemon/, tui/; never test/ or scripts/) with the TypeScript
// compiler API. Every module reference counts: import/export … from, `import type`,
// `import()` calls and `import('…')` types, `import x = require()`, `require('…')` and
// `new URL('….js', import.meta.url)` (worker entry points). Rules:
//   1 imports point down the layer list only; within a line only pack → storage, crypto and
//     api → access, systemd; engines never import one another
//   2 tui/ imports only shared/ (and libraries); shared/ only shared/; native/ nothing of ours
//   3 outside a folder, a module is entered only through its index.ts
//   4 every module folder has an index.ts that opens with a comment
//   5 no `export *`
// Each violation reads `file: imports X (rule)`; the test lists them all.
import t from 'tap';
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/test/architecture.test.js → the repository root, two levels up. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRODUCT = ['shared', 'native', 'daemon', 'tui'];

/** DESIGN §2's layer list, bottom first. A unit may import its own files and lower layers. */
const LAYERS: readonly (readonly string[])[] = [
  ['shared', 'native'],
  ['daemon basics'],
  ['storage', 'crypto', 'chunking', 'walk', 'pack'],
  ['chunk-index', 'workers'],
  ['repository'],
  ['snapshot'],
  ['reconcile'],
  ['backup', 'restore', 'check', 'prune', 'fuse'],
  ['jobs'],
  ['access', 'systemd', 'api'],
  ['daemon root'],
];
/** The only imports allowed within one line. */
const SAME_LINE = new Set(['pack→storage', 'pack→crypto', 'api→access', 'api→systemd']);
/** Files directly in daemon/: the basics (one unit, imported by path) and the composition root. */
const DAEMON_FILES: Readonly<Record<string, string>> = {
  'errors.ts': 'daemon basics', 'log.ts': 'daemon basics', 'events.ts': 'daemon basics',
  'pipeline.ts': 'daemon basics', 'msgpack.ts': 'daemon basics', 'memory.ts': 'daemon basics',
  'lazy-require.ts': 'daemon basics',
  'daemon.ts': 'daemon root', 'main.ts': 'daemon root',
};

interface Place {
  /** The layer unit: a daemon module's folder name, 'daemon basics', 'shared', 'tui', … */
  unit: string;
  /** The folder entered only through its index.ts, or null for files imported by path. */
  door: string | null;
}

/** Where a repository-relative path sits in DESIGN §2, or null when it is not placed there. */
function placeOf(path: string): Place | null {
  const parts = path.split('/');
  const [top, second] = parts;
  const inFolder = parts.length > 2;
  if (top === 'shared' || top === 'tui') {
    return { unit: top, door: inFolder ? `${top}/${second}` : null };
  }
  if (top === 'native') return { unit: 'native', door: 'native' };
  if (top !== 'daemon' || second === undefined) return null;
  if (!inFolder) {
    const unit = DAEMON_FILES[second];
    return unit === undefined ? null : { unit, door: null };
  }
  const door = `daemon/${second}`;
  if (second === 'config') return { unit: 'daemon basics', door };
  return layerOf(second) === -1 ? null : { unit: second, door };
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((line) => line.includes(unit));
}

/** The repository-relative path a specifier names from `from`, or null for a library. */
function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return null;
  const abs = specifier.startsWith('/')
    ? posix.relative(ROOT.replace(/\\/g, '/'), specifier)
    : posix.join(posix.dirname(from), specifier);
  return abs.replace(/\.js$/, '.ts');
}

/** The rules an import of `specifier` from the product file `from` breaks (empty: none). */
function importViolations(from: string, specifier: string): string[] {
  const target = resolveSpecifier(from, specifier);
  if (target === null) return [];
  const src = placeOf(from);
  const dst = placeOf(target);
  const out: string[] = [];
  if (src === null) return [`rule 1: ${from} is not in DESIGN §2's layer list`];
  if (dst === null) {
    const rule = src.unit === 'tui' || src.unit === 'shared' || src.unit === 'native' ? 2 : 1;
    return [`rule ${rule}: ${target} is not in DESIGN §2's layer list`];
  }
  if (src.unit === 'tui' && dst.unit !== 'tui' && dst.unit !== 'shared') {
    out.push('rule 2: tui/ imports only shared/ and libraries');
  } else if ((src.unit === 'shared' || src.unit === 'native') && dst.unit !== src.unit) {
    out.push(`rule 2: ${src.unit}/ imports nothing of ours but ${src.unit === 'shared' ? 'shared/' : 'native/'}`);
  } else if (dst.unit === 'tui' && src.unit !== 'tui') {
    out.push('rule 1: only tui/ imports tui/');
  } else if (src.unit !== dst.unit && src.unit !== 'tui') {
    const srcLayer = layerOf(src.unit);
    const dstLayer = layerOf(dst.unit);
    if (dstLayer > srcLayer) out.push(`rule 1: ${src.unit} (layer ${srcLayer}) imports upward to ${dst.unit} (layer ${dstLayer})`);
    if (dstLayer === srcLayer && !SAME_LINE.has(`${src.unit}→${dst.unit}`)) {
      out.push(`rule 1: ${src.unit} imports ${dst.unit} within one line`);
    }
  }
  if (dst.door !== null && dst.door !== src.door && target !== `${dst.door}/index.ts`) {
    out.push(`rule 3: outside ${dst.door}/ only through ${dst.door}/index.ts`);
  }
  return out;
}

interface ModuleRef { specifier: string; line: number }
interface Scanned { refs: ModuleRef[]; exportStars: number[]; computed: number[] }

/** Every module reference in one source text, `export *` lines and uncheckable `import(x)`. */
function scanSource(fileName: string, text: string): Scanned {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Scanned = { refs: [], exportStars: [], computed: [] };
  const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (n: ts.Node, spec: ts.Node | undefined): void => {
    if (spec !== undefined && ts.isStringLiteralLike(spec)) out.refs.push({ specifier: spec.text, line: lineOf(n) });
    else out.computed.push(lineOf(n));
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) add(n, n.moduleSpecifier);
    else if (ts.isExportDeclaration(n)) {
      if (n.moduleSpecifier !== undefined) add(n, n.moduleSpecifier);
      if (n.exportClause === undefined || ts.isNamespaceExport(n.exportClause)) out.exportStars.push(lineOf(n));
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      add(n, n.moduleReference.expression);
    } else if (ts.isImportTypeNode(n)) {
      add(n, ts.isLiteralTypeNode(n.argument) ? n.argument.literal : undefined);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(n, n.arguments[0]);
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require'
      && n.arguments[0] !== undefined && ts.isStringLiteralLike(n.arguments[0])) {
      add(n, n.arguments[0]);
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'URL'
      && n.arguments?.length === 2 && ts.isStringLiteralLike(n.arguments[0]!)
      && /\.js$/.test(n.arguments[0].text) && n.arguments[1]!.getText(sf) === 'import.meta.url') {
      add(n, n.arguments[0]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** True when the text opens (after a shebang and blank space) with a `//` or `/*` comment. */
function opensWithComment(text: string): boolean {
  const body = text.replace(/^#![^\n]*\n/, '').trimStart();
  return body.startsWith('//') || body.startsWith('/*');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const abs = posix.join(ROOT, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs).sort()) {
    const rel = `${dir}/${name}`;
    if (name === 'node_modules' || rel === 'native/build') continue;
    if (statSync(posix.join(ROOT, rel)).isDirectory()) out.push(...walk(rel));
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** All violations of the product tree, as `file: imports X (rule)` lines. */
function checkTree(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const scanned = scanSource(file, readFileSync(posix.join(ROOT, file), 'utf8'));
    for (const ref of scanned.refs) {
      const shown = resolveSpecifier(file, ref.specifier) ?? ref.specifier;
      for (const rule of importViolations(file, ref.specifier)) out.push(`${file}:${ref.line}: imports ${shown} (${rule})`);
    }
    for (const line of scanned.computed) out.push(`${file}:${line}: imports a computed specifier (rules 1-3 cannot check it)`);
    for (const line of scanned.exportStars) out.push(`${file}:${line}: export * (rule 5: export names explicitly)`);
  }
  // Rule 4: module folders — native/, each folder under daemon/ and tui/, shared/'s folders.
  const doors = new Set<string>(['native']);
  for (const file of files) {
    const parts = file.split('/');
    if (parts.length > 2 && parts[0] !== 'native') doors.add(`${parts[0]}/${parts[1]}`);
  }
  for (const door of [...doors].sort()) {
    const index = `${door}/index.ts`;
    if (!files.includes(index)) out.push(`${door}/: has no index.ts (rule 4)`);
    else if (!opensWithComment(readFileSync(posix.join(ROOT, index), 'utf8'))) {
      out.push(`${index}: does not open with a module comment (rule 4)`);
    }
  }
  return out;
}

t.test('rule function: made-up imports that must pass or fail', async (t) => {
  // [from, specifier, rules broken ('' = allowed)]
  const cases: [string, string, string][] = [
    ['daemon/pack/writer.ts', '../storage/index.js', ''],
    ['daemon/pack/writer.ts', '../crypto/index.js', ''],
    ['daemon/pack/writer.ts', './format.js', ''],
    ['daemon/pack/writer.ts', 'node:fs', ''],
    ['daemon/pack/writer.ts', '../../shared/errors.js', ''],
    ['daemon/pack/writer.ts', '../../native/index.js', ''],
    ['daemon/pack/writer.ts', '../errors.js', ''],
    ['daemon/pack/writer.ts', '../config/index.js', ''],
    ['daemon/storage/local.ts', '../pack/index.js', '1'],
    ['daemon/crypto/aead.ts', '../chunking/index.js', '1'],
    ['daemon/repository/open.ts', '../pack/writer.js', '3'],
    ['daemon/repository/open.ts', '../pack/index.js', ''],
    ['daemon/repository/open.ts', '../snapshot/index.js', '1'],
    ['daemon/repository/open.ts', '../../native/build/x.js', '3'],
    ['daemon/backup/backup.ts', '../restore/index.js', '1'],
    ['daemon/backup/backup.ts', '../snapshot/tree.js', '3'],
    ['daemon/jobs/job-manager.ts', '../api/index.js', '1'],
    ['daemon/api/routes/jobs.ts', '../../jobs/index.js', ''],
    ['daemon/api/routes/jobs.ts', '../../backup/index.js', ''],
    ['daemon/api/routes/jobs.ts', '../sse.js', ''],
    ['daemon/api/create-api.ts', '../access/index.js', ''],
    ['daemon/access/access.ts', '../api/index.js', '1'],
    ['daemon/access/access.ts', '../systemd/index.js', '1'],
    ['daemon/log.ts', '../shared/paths.js', ''],
    ['daemon/log.ts', './storage/index.js', '1'],
    ['daemon/config/load-config.ts', '../errors.js', ''],
    ['daemon/config/load-config.ts', '../events.js', ''],
    ['daemon/main.ts', './daemon.js', ''],
    ['daemon/main.ts', './api/index.js', ''],
    ['daemon/main.ts', './api/sse.js', '3'],
    ['daemon/daemon.ts', '../tui/client/index.js', '1'],
    ['daemon/daemon.ts', '../test/helpers/tmp.js', '1'],
    ['daemon/newthing/x.ts', '../errors.js', '1'],
    ['shared/routes.ts', './schemas/index.js', ''],
    ['shared/routes.ts', './schemas/job.js', '3'],
    ['shared/routes.ts', './errors.js', ''],
    ['shared/schemas/job.ts', './common.js', ''],
    ['shared/errors.ts', '../daemon/errors.js', '2'],
    ['native/index.ts', '../shared/errors.js', '2'],
    ['tui/cli/program.ts', '../../shared/routes.js', ''],
    ['tui/cli/program.ts', '../client/index.js', ''],
    ['tui/cli/program.ts', '../client/sse.js', '3'],
    ['tui/cli/commands/ls.ts', '../format.js', ''],
    ['tui/main.ts', './cli/index.js', ''],
    ['tui/cli/program.ts', '../../daemon/errors.js', '2'],
    ['tui/cli/program.ts', '../../native/index.js', '2'],
    ['tui/cli/program.ts', '../../daemon/pack/writer.js', '2 3'],
  ];
  for (const [from, spec, want] of cases) {
    const got = importViolations(from, spec).map((v) => /^rule (\d)/.exec(v)?.[1]).join(' ');
    t.equal(got, want, `${from} → ${spec}`);
  }
  t.equal(placeOf('daemon/pipeline.ts')?.unit, 'daemon basics');
  t.equal(placeOf('daemon/fuse/mount.ts')?.unit, 'fuse');
  t.equal(placeOf('scripts/bench/x.ts'), null);
});

t.test('scanner: every kind of module reference, export * and comments', async (t) => {
  const text = [
    "import a from './a.js';",
    "import type { B } from './b.js';",
    "import './c.js';",
    "export { d } from './d.js';",
    "export type { E } from './e.js';",
    "export * from './f.js';",
    "export * as g from './g.js';",
    "export { h };",
    "const i = await import('./i.js');",
    "type J = import('./j.js').J;",
    "import k = require('./k.js');",
    "const l = require('./l.js');",
    "const m = new URL('./m.js', import.meta.url);",
    "const n = new URL('../../package.json', import.meta.url);",
    'const o = await import(name);',
  ].join('\n');
  const s = scanSource('x.ts', text);
  t.same(s.refs.map((r) => r.specifier), ['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js',
    './i.js', './j.js', './k.js', './l.js', './m.js']);
  t.same(s.refs.map((r) => r.line), [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13]);
  t.same(s.exportStars, [6, 7]);
  t.same(s.computed, [15]);
  t.ok(opensWithComment('// daemon/x — does y\nimport z from "z";'));
  t.ok(opensWithComment('#!/usr/bin/env node\n\n/* x */\nexport {};'));
  t.notOk(opensWithComment("import z from 'z';\n// comment after code"));
  t.notOk(opensWithComment(''));
});

t.test('the product sources follow DESIGN §2', async (t) => {
  const files = PRODUCT.flatMap(walk);
  // Guard against a wrong root: an empty scan would pass vacuously.
  t.ok(files.includes('daemon/pack/index.ts') && files.includes('shared/errors.ts'), `sources found under ${ROOT}`);
  t.ok(files.length > 50, `${files.length} product .ts files`);
  const violations = checkTree(files);
  // Each violation is one line of the diff tap prints: `file:line: imports X (rule)`.
  t.same(violations, [], 'no violations of DESIGN §2');
});
