// daemon/snapshot/glob.ts: the same answers as picomatch (dot: true) on a table of
// patterns and names, and where they part, the shell's answer (`[!x]` negates, `{1..12}`
// counts, `/**/` may be no directory); braces expanded, bad patterns refused — and time
// linear in the text where picomatch's regexes backtrack (`*a*a*a*b` on 255 characters).
import t from 'tap';
import picomatch from 'picomatch';
import { compileGlob, expandBraces, GlobError, MAX_ALTERNATIVES } from '../../../daemon/snapshot/glob.js';

const names = ['a.pdf', '.hidden.pdf', 'a.pdf.txt', 'report-1.md', 'report-12.md', 'beta', 'alpha', 'a*b', 'ab', 'a',
  'file9', 'FILE', 'x-y', 'é.txt', 'naïve', '[x]', 'a{b}', '{a}', 'photo (1).jpg', 'a\\b', 'a]b', 'ünïcode.TXT', '!b'];
const paths = ['/x/c.txt', '/x/y/c.txt', '/x/y/z/c.txt', '/c.txt', '/x/c.txt/d', '/home/ann/doc.pdf', '/home/ann/.cfg/a.pdf', 'x/c.txt'];
const patterns = ['*.pdf', '*', '?', '??', 'a*', '*a', 'a*b', 'report-?.{txt,md}', 'report-*.md', '[ab]*', '[^ab]*', '[a-c]*',
  'file[0-9]', 'file[[:digit:]]', 'a\\*b', '*.{pdf,txt}', '{a,b}{c,}*', 'x-y', '*[x]*', '\\[x\\]', 'a{b}', 'photo (1).jpg',
  '*.TXT', 'na?ve', 'a\\\\b', '*{1..3}', '[z-a]*'];
const pathPatterns = ['/x/*/c.txt', '/x/**/c.txt', '/x/**', '**/c.txt', '/home/**/*.pdf', '/x/**/z/**/c.txt', 'x/*.txt'];

t.test('agrees with picomatch', async (t) => {
  for (const p of patterns) {
    const mine = compileGlob(p);
    const theirs = picomatch(p, { dot: true });
    for (const n of names) t.equal(mine(n), theirs(n), `${p} on ${JSON.stringify(n)}`);
  }
  for (const p of pathPatterns) {
    const mine = compileGlob(p);
    const theirs = picomatch(p, { dot: true });
    for (const n of paths) t.equal(mine(n), theirs(n), `${p} on ${n}`);
  }
});

t.test('where picomatch parts from the shell', async (t) => {
  t.ok(compileGlob('[!ab]*')('file9'), '[!ab] negates (picomatch reads it as the characters !, a, b)');
  t.notOk(compileGlob('[!ab]*')('beta'));
  t.ok(compileGlob('report-{1..12}.md')('report-12.md'), '{1..12} counts to 12');
  t.ok(compileGlob('/**/c.txt')('/c.txt'), '/**/ may stand for no directory');
  t.ok(compileGlob('/**/c.txt')('/x/y/c.txt'));
});

const refused = (fn: () => unknown): boolean => {
  try {
    fn();
    return false;
  } catch (e) {
    return e instanceof GlobError;
  }
};

t.test('braces', async (t) => {
  t.same(expandBraces('a{b,c}d'), ['abd', 'acd']);
  t.same(expandBraces('{a,b{c,d}}z'), ['az', 'bcz', 'bdz']);
  t.same(expandBraces('{3..1}'), ['3', '2', '1']);
  t.same(expandBraces('{a..c}'), ['a', 'b', 'c']);
  t.same(expandBraces('[{]a'), ['[{]a'], 'a brace in a class');
  t.same(expandBraces('\\{a,b\\}'), ['\\{a,b\\}'], 'escaped');
  t.ok(refused(() => expandBraces('{a,b')), 'an unclosed brace');
  t.ok(refused(() => expandBraces('{1..100000}')), 'a long range');
  t.ok(refused(() => expandBraces('{a,b}'.repeat(9))), `more than ${MAX_ALTERNATIVES} patterns`);
  t.ok(refused(() => compileGlob('[abc')), 'an unclosed class');
  t.ok(refused(() => compileGlob('[[:nope:]]')), 'an unknown class name');
});

t.test('linear time where a regex backtracks', async (t) => {
  const name = 'a'.repeat(255);
  const path = `/${'a'.repeat(254)}`.repeat(16);
  for (const [p, text] of [['*a*a*a*a*a*a*b', name], ['*(*(a))*(*(a))b', name], ['/**/**/**/**/**/b', path], ['**a**a**a**a**b', path]] as const) {
    const m = compileGlob(p);
    const start = performance.now();
    t.equal(m(text), false, p);
    const ms = performance.now() - start;
    t.ok(ms < 500, `${p}: ${ms.toFixed(1)} ms`);
  }
});
