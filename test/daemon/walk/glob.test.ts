// Go's path/filepath.Match over bytes: Go's own test table (match_test.go), then bytes
// that are not valid UTF-8, which Go's string-based Match handles the same way.
import t from 'tap';
import { compileGlob, globMatch, GlobSyntaxError } from '../../../daemon/walk/index.js';

// [pattern, name, match, bad pattern] — src/path/filepath/match_test.go, verbatim.
const goTable: Array<[string, string, boolean, boolean]> = [
  ['abc', 'abc', true, false],
  ['*', 'abc', true, false],
  ['*c', 'abc', true, false],
  ['a*', 'a', true, false],
  ['a*', 'abc', true, false],
  ['a*', 'ab/c', false, false],
  ['a*/b', 'abc/b', true, false],
  ['a*/b', 'a/c/b', false, false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true, false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true, false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false, false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false, false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true, false],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false, false],
  ['ab[c]', 'abc', true, false],
  ['ab[b-d]', 'abc', true, false],
  ['ab[e-g]', 'abc', false, false],
  ['ab[^c]', 'abc', false, false],
  ['ab[^b-d]', 'abc', false, false],
  ['ab[^e-g]', 'abc', true, false],
  ['a\\*b', 'a*b', true, false],
  ['a\\*b', 'ab', false, false],
  ['a?b', 'a☺b', true, false],
  ['a[^a]b', 'a☺b', true, false],
  ['a???b', 'a☺b', false, false],
  ['a[^a][^a][^a]b', 'a☺b', false, false],
  ['[a-ζ]*', 'α', true, false],
  ['*[a-ζ]', 'A', false, false],
  ['a?b', 'a/b', false, false],
  ['a*b', 'a/b', false, false],
  ['[\\]a]', ']', true, false],
  ['[\\-]', '-', true, false],
  ['[x\\-]', 'x', true, false],
  ['[x\\-]', '-', true, false],
  ['[x\\-]', 'z', false, false],
  ['[\\-x]', 'x', true, false],
  ['[\\-x]', '-', true, false],
  ['[\\-x]', 'a', false, false],
  ['[]a]', ']', false, true],
  ['[-]', '-', false, true],
  ['[x-]', 'x', false, true],
  ['[x-]', '-', false, true],
  ['[x-]', 'z', false, true],
  ['[-x]', 'x', false, true],
  ['[-x]', '-', false, true],
  ['[-x]', 'a', false, true],
  ['\\', 'a', false, true],
  ['[a-b-c]', 'a', false, true],
  ['[', 'a', false, true],
  ['[^', 'a', false, true],
  ['[^bc', 'a', false, true],
  ['a[', 'a', false, true],
  ['a[', 'ab', false, true],
  ['a[', 'x', false, true],
  ['a/b[', 'x', false, true],
  ['*x', 'xxx', true, false],
];

t.test("Go's filepath.Match table", async (t) => {
  for (const [pattern, name, match, bad] of goTable) {
    if (bad) {
      t.throws(() => globMatch(pattern, name), GlobSyntaxError, `Match(${pattern}, ${name}) is a bad pattern`);
    } else {
      t.equal(globMatch(pattern, name), match, `Match(${pattern}, ${name}) = ${match}`);
    }
  }
});

t.test('names that are not valid UTF-8', async (t) => {
  const f_ff = Buffer.from([0x66, 0xff]);
  t.ok(globMatch('*', f_ff), '* matches any bytes');
  t.ok(globMatch('f*', f_ff));
  t.ok(globMatch('f?', f_ff), 'an invalid byte is one rune for ?');
  t.notOk(globMatch('f??', f_ff));
  t.ok(globMatch('f[^a]', f_ff), 'an invalid byte is one rune for a class');
  t.ok(globMatch('f[\uFFFD]', f_ff), 'and that rune is U+FFFD, as in Go');
  t.notOk(globMatch('f[a-z]', f_ff));
  t.ok(globMatch('*\xff', Buffer.from([0x61, 0xc3, 0xbf])), 'a pattern literal is compared as UTF-8 bytes');
  t.notOk(globMatch('*\xff', f_ff), 'ÿ in a pattern is not the byte 0xff');
  // A truncated three-byte sequence is two invalid runes, not one character.
  const truncated = Buffer.from([0x61, 0xe2, 0x98]);
  t.ok(globMatch('a??', truncated));
  t.notOk(globMatch('a?', truncated));
  // An encoded surrogate (ED A0 80) is three invalid bytes.
  t.ok(globMatch('???', Buffer.from([0xed, 0xa0, 0x80])));
  t.ok(globMatch('?', Buffer.from('☺')), 'a valid multi-byte rune is one ?');
  t.ok(globMatch('\\☺', Buffer.from('☺')), 'an escaped multi-byte literal');
});

t.test('syntax is checked when compiled, for every part of the pattern', async (t) => {
  // Go's Match would return false for "x" here without reaching the bad class.
  t.throws(() => compileGlob('[b-a]*['), GlobSyntaxError);
  t.throws(() => compileGlob('a*b\\'), GlobSyntaxError);
  const g = compileGlob('*.tmp');
  t.equal(g.source, '*.tmp');
  t.ok(g.match(Buffer.from('x.tmp')));
  t.notOk(g.match(Buffer.from('x.tmpx')));
});
