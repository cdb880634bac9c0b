// daemon/walk/exclude-matcher.ts — restic's `--exclude` (internal/filter, 0.14+) over raw
// path bytes. For each pattern, in order:
//   expand $VAR/${VAR} → strip a leading '!' (negated) → filepath.Clean → split at '/'
//   an absolute pattern matches a prefix of the path's components; a relative one any run
//   of consecutive components ("bar" matches /foo/bar/baz); '**' spans any number of them;
//   a plain pattern sets "excluded" when it matches, a negated one clears it.
// So a pattern that matches a directory also matches everything below it, and "!p"
// re-includes p and what is below p, unless a later pattern excludes it again. The scan
// never descends into an excluded directory, so "!" cannot reach inside one.
import { CairnError } from '../errors.js';
import { expandEnv, type Env } from './expand-env.js';
import { compileGlob, GlobSyntaxError, type Glob } from './glob.js';

const ROOT = Buffer.from('/');

/** One component of a pattern: "/" (first, for an absolute pattern), '**', or a glob. */
interface Part {
  doubleStar: boolean;
  /** Set when the component has no glob characters: compared byte for byte. */
  literal: Buffer | null;
  glob: Glob | null;
}

interface Pattern { original: string; parts: Part[]; negated: boolean }

const STAR_PART: Part = { doubleStar: false, literal: null, glob: compileGlob('*') };

export interface ExcludeMatcher {
  /** The patterns after environment expansion, empty ones dropped, in order. */
  readonly patterns: readonly string[];
  /** restic's filter.List: true when the path is excluded (the scan passes absolute paths). */
  excludes(path: Buffer): boolean;
  /** The same for an absolute path already split: ['/', component, component, …]. */
  excludesParts(parts: readonly Buffer[]): boolean;
}

/** Go's filepath.Clean for '/'-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return rooted ? '/' + joined : joined === '' ? '.' : joined;
}

/** restic's splitPath: components of a cleaned path, the first "/" when it is absolute. */
function splitComponents(p: string): string[] {
  const parts = p.split('/');
  if (parts[0] === '') parts[0] = '/';
  return parts;
}

/** restic's prepareStr over bytes: the path split at '/', a leading empty component (an
 *  absolute path) becoming "/". */
export function splitPath(path: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === 0x2f) {
      parts.push(i === 0 ? ROOT : path.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

function preparePattern(original: string): Pattern {
  const negated = original.startsWith('!');
  const body = negated ? original.slice(1) : original;
  const parts = splitComponents(cleanPath(body)).map((s): Part => {
    // restic turns "**" into "" and then treats every empty component as "**" ("/" too).
    if (s === '**' || s === '') return { doubleStar: true, literal: null, glob: null };
    if (!/[\\[\]*?]/.test(s)) return { doubleStar: false, literal: Buffer.from(s, 'utf8'), glob: null };
    return { doubleStar: false, literal: null, glob: compileGlob(s) };
  });
  return { original, parts, negated };
}

function partMatches(part: Part, name: Buffer): boolean {
  return part.literal ? part.literal.equals(name) : part.glob!.match(name);
}

/** restic's match(): a pattern against path components. */
function matchParts(parts: readonly Part[], strs: readonly Buffer[]): boolean {
  const pos = parts.findIndex((p) => p.doubleStar);
  if (pos >= 0) {
    // Expand '**' into 0, 1, 2, … single '*' components.
    for (let i = 0; i <= strs.length - parts.length + 1; i++) {
      const expanded = [...parts.slice(0, pos), ...new Array<Part>(i).fill(STAR_PART), ...parts.slice(pos + 1)];
      if (matchParts(expanded, strs)) return true;
    }
    return false;
  }
  if (parts.length === 0) return strs.length === 0;
  if (parts.length > strs.length) return false;
  let minOffset = 0;
  let maxOffset = strs.length - parts.length;
  const first = parts[0]!;
  if (first.literal?.equals(ROOT)) maxOffset = 0;
  else if (strs[0]!.equals(ROOT)) minOffset = 1;
  outer: for (let offset = maxOffset; offset >= minOffset; offset--) {
    for (let i = parts.length - 1; i >= 0; i--) {
      if (!partMatches(parts[i]!, strs[offset + i]!)) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Compiles restic exclude patterns. Environment variables are expanded from `env`
 * ($$ is a literal $); empty patterns are ignored. Throws CairnError invalid_params
 * (params.excludes) naming every malformed pattern, so a bad pattern fails before a job
 * starts.
 */
export function compileExcludes(patterns: string[], env: Env = process.env): ExcludeMatcher {
  const expanded = patterns.map((p) => expandEnv(p, env)).filter((p) => p !== '');
  const compiled: Pattern[] = [];
  const invalid: string[] = [];
  for (const p of expanded) {
    try {
      compiled.push(preparePattern(p));
    } catch (e) {
      if (!(e instanceof GlobSyntaxError)) throw e;
      invalid.push(p);
    }
  }
  if (invalid.length > 0) {
    const message = `invalid exclude pattern${invalid.length > 1 ? 's' : ''}: ${invalid.map((p) => JSON.stringify(p)).join(', ')}`;
    throw new CairnError('invalid_params', message, { excludes: { code: 'invalid_argument', message } });
  }
  const hasNegated = compiled.some((p) => p.negated);
  const excludesParts = (strs: readonly Buffer[]): boolean => {
    let matched = false;
    for (const pat of compiled) {
      if (pat.negated) {
        if (matched && matchParts(pat.parts, strs)) matched = false;
      } else if (!matched) {
        matched = matchParts(pat.parts, strs);
        if (matched && !hasNegated) break;
      }
    }
    return matched;
  };
  return {
    patterns: expanded,
    excludes: (path) => path.length > 0 && excludesParts(splitPath(path)),
    excludesParts,
  };
}
