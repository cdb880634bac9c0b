// daemon/walk/glob.ts — Go's path/filepath.Match (Unix flavour) over bytes, as restic uses
// it for one path component of an exclude pattern.
//   pattern: { '*' | '?' | '[' ['^'] { c | '\' c | lo '-' hi } ']' | '\' c | c }
//   '*' and '?' never match '/'; '?' and classes consume one UTF-8 rune, an invalid byte
//   counting as one rune U+FFFD (utf8.DecodeRune); literals compare bytes.
// Differs from Go in one way only: the whole pattern is checked for syntax when compiled,
// where Go reports ErrBadPattern only for the part it reaches while matching.

const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const DASH = 0x2d;
const RUNE_ERROR = 0xfffd;

/** Thrown by compileGlob for a malformed pattern (Go's ErrBadPattern). */
export class GlobSyntaxError extends Error {
  constructor(readonly pattern: string) {
    super('syntax error in pattern');
    this.name = 'GlobSyntaxError';
  }
}

type Token =
  | { k: 'byte'; b: number }
  | { k: 'any' }
  | { k: 'class'; negated: boolean; ranges: number[] }; // lo, hi pairs of code points

interface Chunk { star: boolean; tokens: Token[] }

/** A compiled component pattern. */
export interface Glob {
  readonly source: string;
  match(name: Uint8Array): boolean;
}

/** utf8.DecodeRune: [code point, width]; invalid or truncated input gives [U+FFFD, 1]. */
export function decodeRune(s: Uint8Array, i: number): [number, number] {
  const b0 = s[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (j: number, lo = 0x80, hi = 0xbf): number =>
    j < s.length && s[j]! >= lo && s[j]! <= hi ? s[j]! & 0x3f : -1;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(i + 1);
    return c1 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(i + 1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(i + 2);
    return c2 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(i + 1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
    const c2 = c1 < 0 ? -1 : cont(i + 2);
    const c3 = c2 < 0 ? -1 : cont(i + 3);
    return c3 < 0 ? [RUNE_ERROR, 1] : [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [RUNE_ERROR, 1];
}

/** Go's scanChunk: leading stars, then everything up to the next '*' outside a class. */
function scanChunks(p: Uint8Array): Array<{ star: boolean; bytes: Uint8Array }> {
  const out: Array<{ star: boolean; bytes: Uint8Array }> = [];
  let at = 0;
  while (at < p.length) {
    let star = false;
    while (at < p.length && p[at] === STAR) { at++; star = true; }
    let inRange = false;
    let i = at;
    for (; i < p.length; i++) {
      const c = p[i];
      if (c === BACKSLASH) { if (i + 1 < p.length) i++; }
      else if (c === LBRACKET) inRange = true;
      else if (c === RBRACKET) inRange = false;
      else if (c === STAR && !inRange) break;
    }
    out.push({ star, bytes: p.subarray(at, i) });
    at = i;
  }
  return out;
}

/** Go's matchChunk parsing, done once: every chunk is checked, matched or not. */
function parseChunk(c: Uint8Array, source: string): Token[] {
  const bad = (): never => { throw new GlobSyntaxError(source); };
  // getEsc: one possibly escaped rune of a class, which must not end the chunk.
  const getEsc = (j: number): [number, number] => {
    if (j >= c.length || c[j] === DASH || c[j] === RBRACKET) bad();
    if (c[j] === BACKSLASH) { j++; if (j >= c.length) bad(); }
    const [r, n] = decodeRune(c, j);
    if (r === RUNE_ERROR && n === 1) bad();
    if (j + n >= c.length) bad();
    return [r, j + n];
  };
  const tokens: Token[] = [];
  let j = 0;
  while (j < c.length) {
    const b = c[j]!;
    if (b === LBRACKET) {
      j++;
      const negated = j < c.length && c[j] === CARET;
      if (negated) j++;
      const ranges: number[] = [];
      for (;;) {
        if (j < c.length && c[j] === RBRACKET && ranges.length > 0) { j++; break; }
        let lo: number;
        let hi: number;
        [lo, j] = getEsc(j);
        hi = lo;
        if (c[j] === DASH) [hi, j] = getEsc(j + 1);
        ranges.push(lo, hi);
      }
      tokens.push({ k: 'class', negated, ranges });
    } else if (b === QUESTION) {
      tokens.push({ k: 'any' });
      j++;
    } else if (b === BACKSLASH) {
      j++;
      if (j >= c.length) bad();
      tokens.push({ k: 'byte', b: c[j]! });
      j++;
    } else {
      tokens.push({ k: 'byte', b });
      j++;
    }
  }
  return tokens;
}

/** The end of the match of `tokens` at s[i...], or -1. */
function matchChunk(tokens: Token[], s: Uint8Array, i: number): number {
  for (const t of tokens) {
    if (i >= s.length) return -1;
    if (t.k === 'byte') {
      if (s[i] !== t.b) return -1;
      i++;
    } else if (t.k === 'any') {
      if (s[i] === SLASH) return -1;
      i += decodeRune(s, i)[1];
    } else {
      const [r, n] = decodeRune(s, i);
      i += n;
      let found = false;
      for (let k = 0; k < t.ranges.length; k += 2) {
        if (t.ranges[k]! <= r && r <= t.ranges[k + 1]!) { found = true; break; }
      }
      if (found === t.negated) return -1;
    }
  }
  return i;
}

/** Compiles a pattern; throws GlobSyntaxError when it is malformed. */
export function compileGlob(pattern: string | Uint8Array): Glob {
  const bytes = typeof pattern === 'string' ? Buffer.from(pattern, 'utf8') : pattern;
  const source = typeof pattern === 'string' ? pattern : Buffer.from(pattern).toString('utf8');
  const chunks: Chunk[] = scanChunks(bytes).map((c) => ({ star: c.star, tokens: parseChunk(c.bytes, source) }));
  return { source, match: (name) => matchChunks(chunks, name) };
}

/** Go's Match loop: each starred chunk takes its leftmost match; the last must end the name. */
function matchChunks(chunks: Chunk[], name: Uint8Array): boolean {
  let at = 0;
  next: for (let c = 0; c < chunks.length; c++) {
    const { star, tokens } = chunks[c]!;
    const last = c === chunks.length - 1;
    if (star && tokens.length === 0) return name.indexOf(SLASH, at) < 0;
    const t = matchChunk(tokens, name, at);
    if (t >= 0 && (t === name.length || !last)) { at = t; continue; }
    if (star) {
      for (let i = at; i < name.length && name[i] !== SLASH; i++) {
        const u = matchChunk(tokens, name, i + 1);
        if (u >= 0) {
          if (last && u < name.length) continue;
          at = u;
          continue next;
        }
      }
    }
    return false;
  }
  return at === name.length;
}

/** filepath.Match(pattern, name) over bytes; throws GlobSyntaxError for a bad pattern. */
export function globMatch(pattern: string | Uint8Array, name: string | Uint8Array): boolean {
  return compileGlob(pattern).match(typeof name === 'string' ? Buffer.from(name, 'utf8') : name);
}
