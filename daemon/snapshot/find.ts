// daemon/snapshot/find.ts — which entries a search or a locate wants: glob patterns on
// names, an exact name, and a mime-type prefix (mime-types, from the name). A pattern with
// a `/` is matched against the whole path instead of the name. Names are bytes: globs see
// them as UTF-8 with U+FFFD, an exact name is compared as bytes.
// A pattern is checked by picomatch (strict brackets: an unbalanced `[`, `{` or `(` is
// 400) and matched by glob.ts in linear time: a hostile pattern cannot stall the daemon.
// Extglobs (`+(a|b)`…) are refused. Pure; used by the search and locate routes.
import { invalidParam } from '../errors.js';
import { lazyRequire } from '../lazy-require.js';
import { compileGlob } from './glob.js';
import { NodeType, type TreeNode } from './tree.js';

// Loaded by the first search or locate, not at start (~30 ms of every start together).
const mimeTypes = lazyRequire<typeof import('mime-types')>('mime-types');
const picomatch = lazyRequire<typeof import('picomatch')>('picomatch');

export interface FindQuery {
  /** Globs; an entry matches when any does (none: every entry). */
  patterns: string[];
  /** A mime type or prefix (`image/`, `text/plain`); files only. */
  mime?: string | undefined;
}

export type EntryMatcher = (node: TreeNode, path: Buffer) => boolean;

/** Whether the pattern opens an extglob (`?(`, `*(`, `+(`, `@(`, `!(`) outside a class. */
function hasExtglob(pattern: string): boolean {
  const c = [...pattern];
  for (let i = 0; i < c.length; i++) {
    if (c[i] === '\\') i++;
    else if (c[i] === '[') {
      const close = c.indexOf(']', i + 2);
      if (close > 0) i = close;
    } else if ('?*+@!'.includes(c[i]!) && c[i + 1] === '(') return true;
  }
  return false;
}

/** A pattern as a test on (name, path); a malformed glob is 400 invalid_params on `field`. */
function compile(pattern: string, field: string): EntryMatcher {
  const refuse = (why: string): never => { throw invalidParam(field, `invalid glob ${JSON.stringify(pattern)}: ${why}`); };
  if (pattern.includes('\0')) refuse('a pattern may not contain NUL');
  if (hasExtglob(pattern)) refuse('extglob patterns like +(a|b) are not supported; escape the parenthesis to match it');
  let test: (s: string) => boolean = () => false;
  try {
    picomatch()(pattern, { dot: true, strictBrackets: true, noextglob: true });
    test = compileGlob(pattern);
  } catch (e) {
    refuse((e as Error).message);
  }
  const exact = Buffer.from(pattern, 'utf8');
  if (pattern.includes('/')) return (_n, path) => path.equals(exact) || test(path.toString('utf8'));
  return (n) => n.name.equals(exact) || test(n.name.toString('utf8'));
}

/** The matcher of a query; throws invalid_params (on `patternField`) for a bad glob. */
export function compileFind(q: FindQuery, patternField = 'pattern'): EntryMatcher {
  const tests = q.patterns.filter((p) => p !== '').map((p) => compile(p, patternField));
  const named: EntryMatcher = (node, path) => tests.length === 0 || tests.some((t) => t(node, path));
  const mime = q.mime?.toLowerCase() ?? '';
  if (mime === '') return named;
  const types = mimeTypes();
  return (node, path) => {
    if (!named(node, path) || node.type !== NodeType.file) return false;
    const type = types.lookup(node.name.toString('utf8'));
    return type !== false && type.toLowerCase().startsWith(mime);
  };
}
