// daemon/snapshot/glob.ts — glob matching in time linear in the name: the pattern becomes a
// small NFA that is run over the text's characters with a set of states (O(length ×
// pattern)), never a backtracking regular expression. picomatch (which find.ts uses to
// validate patterns) compiles to regexes whose lazy stars backtrack: `*a*a*a*b` takes
// seconds on one 255-byte name, and a search runs it on every name of a snapshot.
//   `*` any run of characters but `/`; `**` as a whole segment any run of segments
//   (`a/**/b` matches `a/b`); `?` one character but `/`; `[a-z]`, `[!x]`, `[^x]`,
//   `[[:digit:]]` one character of a class (never `/`); `{a,b}` and `{1..3}` alternatives
//   (expanded, at most MAX_ALTERNATIVES); `\c` the character c. Dotfiles match.
// Pure; called by find.ts.

/** How many patterns a pattern's braces may expand into. */
export const MAX_ALTERNATIVES = 256;

export class GlobError extends Error {
  override readonly name = 'GlobError';
}

type Test = (c: string) => boolean;
interface State { eps: number[]; on: Array<{ test: Test; to: number }> }

const POSIX: Record<string, Test> = {
  alpha: (c) => /^\p{L}$/u.test(c), digit: (c) => c >= '0' && c <= '9', alnum: (c) => /^[\p{L}\p{N}]$/u.test(c),
  upper: (c) => /^\p{Lu}$/u.test(c), lower: (c) => /^\p{Ll}$/u.test(c), space: (c) => /^\s$/u.test(c),
  xdigit: (c) => /^[0-9A-Fa-f]$/.test(c), punct: (c) => /^[!-/:-@[-`{-~]$/.test(c), word: (c) => /^[\p{L}\p{N}_]$/u.test(c),
};

/** `[...]` starting at chars[i] === '['; returns the test and the index after `]`. */
function parseClass(chars: string[], start: number): { test: Test; end: number } {
  let i = start + 1;
  let negate = false;
  if (chars[i] === '!' || chars[i] === '^') { negate = true; i++; }
  const parts: Test[] = [];
  let first = true;
  while (i < chars.length && (chars[i] !== ']' || first)) {
    first = false;
    if (chars[i] === '[' && chars[i + 1] === ':') {
      const close = chars.indexOf(':', i + 2);
      const name = close > 0 && chars[close + 1] === ']' ? chars.slice(i + 2, close).join('') : '';
      const t = POSIX[name];
      if (!t) throw new GlobError(`unknown character class [:${name}:]`);
      parts.push(t);
      i = close + 2;
      continue;
    }
    const lo = chars[i] === '\\' && i + 1 < chars.length ? chars[++i]! : chars[i]!;
    i++;
    if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
      const hi = chars[i + 1] === '\\' && i + 2 < chars.length ? chars[i + 2]! : chars[i + 1]!;
      i += chars[i + 1] === '\\' ? 3 : 2;
      const a = lo.codePointAt(0)!;
      const b = hi.codePointAt(0)!; // a reversed range (`z-a`) holds nothing
      parts.push((c) => { const x = c.codePointAt(0)!; return x >= a && x <= b; });
    } else {
      const ch = lo;
      parts.push((c) => c === ch);
    }
  }
  if (i >= chars.length) throw new GlobError('missing closing "]"');
  return { test: (c) => c !== '/' && parts.some((p) => p(c)) !== negate, end: i + 1 };
}

/** Expands `{a,b}` and `{1..3}` (nested too) into plain patterns. */
export function expandBraces(pattern: string): string[] {
  const chars = [...pattern];
  let open = -1;
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') { // a class may hold braces and commas
      const close = chars.indexOf(']', i + 2);
      if (close > 0) i = close;
      continue;
    }
    if (c === '{') { if (depth++ === 0) open = i; continue; }
    if (c !== '}' || depth === 0) continue;
    if (--depth > 0) continue;
    const head = chars.slice(0, open).join('');
    const body = chars.slice(open + 1, i);
    const tail = chars.slice(i + 1).join('');
    const alts: string[] = [];
    let d = 0;
    let from = 0;
    for (let k = 0; k <= body.length; k++) {
      const b = body[k];
      if (b === '\\') { k++; continue; }
      if (b === '{') d++;
      else if (b === '}') d--;
      else if ((b === ',' && d === 0) || k === body.length) {
        alts.push(body.slice(from, k).join(''));
        from = k + 1;
      }
    }
    let options = alts;
    if (alts.length === 1) {
      const range = /^(-?\d+)\.\.(-?\d+)$|^([^\d])\.\.([^\d])$/u.exec(alts[0]!);
      // `{a}`: no alternatives, the braces are literal
      if (!range) return expandBraces(`${head}\\{${body.join('')}\\}${tail}`);
      const [lo, hi] = range[1] !== undefined ? [Number(range[1]), Number(range[2])] : [range[3]!.codePointAt(0)!, range[4]!.codePointAt(0)!];
      if (Math.abs(hi - lo) >= MAX_ALTERNATIVES) throw new GlobError(`the range {${alts[0]}} is too long`);
      options = [];
      for (let v = lo; lo <= hi ? v <= hi : v >= hi; v += lo <= hi ? 1 : -1) {
        options.push(range[1] !== undefined ? String(v) : String.fromCodePoint(v));
      }
    }
    const out: string[] = [];
    for (const o of options) {
      for (const rest of expandBraces(head + o + tail)) {
        out.push(rest);
        if (out.length > MAX_ALTERNATIVES) throw new GlobError(`the braces expand into more than ${MAX_ALTERNATIVES} patterns`);
      }
    }
    return out;
  }
  if (depth > 0) throw new GlobError('missing closing "}"');
  return [pattern];
}

interface Machine { states: State[]; accept: number }

/** One brace-free pattern as an NFA: states[0] is the start. */
function compileOne(pattern: string): Machine {
  const chars = [...pattern];
  const states: State[] = [{ eps: [], on: [] }];
  const add = (): number => states.push({ eps: [], on: [] }) - 1;
  let cur = 0;
  const step = (test: Test): void => {
    const to = add();
    states[cur]!.on.push({ test, to });
    cur = to;
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const lit = chars[++i] ?? '\\';
      step((x) => x === lit);
    } else if (c === '?') {
      step((x) => x !== '/');
    } else if (c === '[') {
      const { test, end } = parseClass(chars, i);
      step(test);
      i = end - 1;
    } else if (c === '*') {
      let j = i;
      while (chars[j + 1] === '*') j++;
      const wholeSegment = j > i && (i === 0 || chars[i - 1] === '/') && (j + 1 === chars.length || chars[j + 1] === '/');
      if (wholeSegment && j + 1 < chars.length) {
        // `**/`: nothing, or any run of characters ending with `/`
        const loop = add();
        const after = add();
        states[cur]!.eps.push(after, loop);
        states[loop]!.on.push({ test: () => true, to: loop }, { test: (x) => x === '/', to: after });
        cur = after;
        j++; // the `/` is part of it
      } else {
        const any: Test = wholeSegment ? () => true : (x) => x !== '/';
        const loop = add();
        states[cur]!.eps.push(loop);
        states[loop]!.on.push({ test: any, to: loop });
        cur = loop;
      }
      i = j;
    } else {
      step((x) => x === c);
    }
  }
  return { states, accept: cur };
}

function closure(states: State[], set: Set<number>): Set<number> {
  const stack = [...set];
  while (stack.length > 0) {
    for (const e of states[stack.pop()!]!.eps) {
      if (!set.has(e)) {
        set.add(e);
        stack.push(e);
      }
    }
  }
  return set;
}

function run({ states, accept }: Machine, text: string): boolean {
  let cur = closure(states, new Set([0]));
  for (const ch of text) {
    const next = new Set<number>();
    for (const s of cur) for (const t of states[s]!.on) if (t.test(ch)) next.add(t.to);
    if (next.size === 0) return false;
    cur = closure(states, next);
  }
  return cur.has(accept);
}

/** A matcher for a glob; throws GlobError for a pattern it cannot read. */
export function compileGlob(pattern: string): (text: string) => boolean {
  const machines = expandBraces(pattern).map(compileOne);
  return (text) => machines.some((m) => run(m, text));
}
