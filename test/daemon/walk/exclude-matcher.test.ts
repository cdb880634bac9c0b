// restic's exclude semantics: restic's own tables (internal/filter/filter_test.go:
// matchTests, filterListTests, TestInvalidPattern), environment expansion like restic's
// (Go's os.Expand, $$ for $), and matching on raw bytes.
import t from 'tap';
import { compileExcludes, expandEnv } from '../../../daemon/walk/index.js';
import { CairnError } from '../../../daemon/errors.js';

const excluded = (patterns: string[], path: string | Buffer): boolean =>
  compileExcludes(patterns, {}).excludes(typeof path === 'string' ? Buffer.from(path) : path);

// restic matchTests (Match(pattern, path)); the rows with an empty pattern are left out
// because an exclude list ignores empty patterns.
const matchTests: Array<[string, string, boolean]> = [
  ['*.go', '/foo/bar/test.go', true],
  ['*.c', '/foo/bar/test.go', false],
  ['*', '/foo/bar/test.go', true],
  ['**', '/foo/bar/test.go', true],
  ['foo*', '/foo/bar/test.go', true],
  ['bar*', '/foo/bar/test.go', true],
  ['/bar*', '/foo/bar/test.go', false],
  ['bar/*', '/foo/bar/test.go', true],
  ['baz/*', '/foo/bar/test.go', false],
  ['bar/test.go', '/foo/bar/test.go', true],
  ['bar/*.go', '/foo/bar/test.go', true],
  ['ba*/*.go', '/foo/bar/test.go', true],
  ['bb*/*.go', '/foo/bar/test.go', false],
  ['test.*', '/foo/bar/test.go', true],
  ['tesT.*', '/foo/bar/test.go', false],
  ['bar/*', '/foo/bar/baz', true],
  ['bar', '/foo/bar', true],
  ['/foo/bar', '/foo/bar', true],
  ['/foo/bar/', '/foo/bar', true],
  ['/foo/bar', '/foo/baz', false],
  ['/foo/bar', '/foo/baz/', false],
  ['/foo///bar', '/foo/bar', true],
  ['/foo/../bar', '/foo/bar', false],
  ['/foo/../bar', '/bar', true],
  ['/foo', '/foo/baz', true],
  ['/foo/', '/foo/baz', true],
  ['/foo/*', '/foo', false],
  ['/foo/*', '/foo/baz', true],
  ['bar', '/foo/bar/baz', true],
  ['bar', '/foo/bar/test.go', true],
  ['/foo/*test.*', '/foo/bar/test.go', false],
  ['/foo/*/test.*', '/foo/bar/test.go', true],
  ['/foo/*/bar/test.*', '/foo/bar/test.go', false],
  ['/*/*/bar/test.*', '/foo/bar/test.go', false],
  ['/*/*/bar/test.*', '/foo/bar/baz/test.go', false],
  ['/*/*/baz/test.*', '/foo/bar/baz/test.go', true],
  ['/*/foo/bar/test.*', '/foo/bar/baz/test.go', false],
  ['/*/foo/bar/test.*', '/foo/bar/baz/test.go', false],
  ['/foo/bar/test.*', 'bar/baz/test.go', false],
  ['/x/y/bar/baz/test.*', 'bar/baz/test.go', false],
  ['/x/y/bar/baz/test.c', 'bar/baz/test.go', false],
  ['baz/test.*', 'bar/baz/test.go', true],
  ['baz/tesT.*', 'bar/baz/test.go', false],
  ['test.go', 'bar/baz/test.go', true],
  ['*.go', 'bar/baz/test.go', true],
  ['*.c', 'bar/baz/test.go', false],
  ['sdk', '/foo/bar/sdk', true],
  ['sdk', '/foo/bar/sdk/test/sdk_foo.go', true],
  ['sdk/*/cpp/*/*vars*.html', '/usr/share/doc/libreoffice/sdk/docs/cpp/ref/a00517.html', false],
  ['foo/**/bar/*.go', '/home/user/foo/work/special/project/bar/test.go', true],
  ['foo/**/bar/*.go', '/home/user/foo/bar/test.go', true],
  ['foo/**/bar/*.go', 'x/foo/bar/test.go', true],
  ['foo/**/bar/*.go', 'foo/bar/test.go', true],
  ['foo/**/bar/*.go', 'foo/bar/baz/bar/test.go', true],
  ['foo/**/bar/*.go', '/home/user/foo/test.c', false],
  ['foo/**/bar/*.go', 'bar/foo/main.go', false],
  ['foo/**/bar/*.go', '/foo/bar/main.go', true],
  ['foo/**/bar/*.go', 'bar/main.go', false],
  ['foo/**/bar', '/home/user/foo/x/y/bar', true],
  ['foo/**/bar', '/home/user/foo/x/y/bar/main.go', true],
  ['foo/**/bar/**/x', '/home/user/foo/bar/x', true],
  ['foo/**/bar/**/x', '/home/user/foo/blaaa/blaz/bar/shared/work/x', true],
  ['user/**/important*', '/home/user/work/x/y/hidden/x', false],
  ['user/**/hidden*/**/c', '/home/user/work/x/y/hidden/z/a/b/c', true],
  ['c:/foo/*test.*', 'c:/foo/bar/test.go', false],
  ['c:/foo', 'c:/foo/bar', true],
  ['c:/foo/', 'c:/foo/bar', true],
  ['c:/foo/*/test.*', 'c:/foo/bar/test.go', true],
  ['c:/foo/*/bar/test.*', 'c:/foo/bar/test.go', false],
];

t.test("restic's match table", async (t) => {
  for (const [pattern, path, want] of matchTests) {
    t.equal(excluded([pattern], path), want, `Match(${pattern}, ${path}) = ${want}`);
  }
});

// restic filterListTests: [patterns, path, List result] (negative patterns included).
const listTests: Array<[string[], string, boolean]> = [
  [[], '/foo/bar/test.go', false],
  [['*.go'], '/foo/bar/test.go', true],
  [['*.go'], '/foo/bar', false],
  [['*.c'], '/foo/bar/test.go', false],
  [['*.go', '*.c'], '/foo/bar/test.go', true],
  [['*'], '/foo/bar/test.go', true],
  [['x'], '/foo/bar/test.go', false],
  [['?'], '/foo/bar/test.go', false],
  [['?', 'x'], '/foo/bar/x', true],
  [['/*/*/bar/test.*'], '/foo/bar/test.go', false],
  [['/*/*/bar/test.*'], '/foo/bar/bar', false],
  [['/*/*/bar/test.*', '*.go'], '/foo/bar/test.go', true],
  [['', '*.c'], '/foo/bar/test.go', false],
  [['!**', '*.go'], '/foo/bar/test.go', true],
  [['!**', '*.c'], '/foo/bar/test.go', false],
  [['/foo/*/test.*', '!*.c'], '/foo/bar/test.c', false],
  [['/foo/*/test.*', '!*.c'], '/foo/bar/test.go', true],
  [['/foo/*/*', '!test.*', '*.c'], '/foo/bar/test.go', false],
  [['/foo/*/*', '!test.*', '*.c'], '/foo/bar/test.c', true],
  [['/foo/*/*', '!test.*', '*.c'], '/foo/bar/file.go', true],
  [['/**/*', '!/foo', '/foo/*', '!/foo/bar'], '/foo/other/test.go', true],
  [['/**/*', '!/foo', '/foo/*', '!/foo/bar'], '/foo/bar', false],
  [['/**/*', '!/foo', '/foo/*', '!/foo/bar'], '/foo/bar/test.go', false],
  [['/**/*', '!/foo', '/foo/*', '!/foo/bar'], '/foo/bar/test.go/child', false],
  [['/**/*', '!/foo', '/foo/*', '!/foo/bar', '/foo/bar/test*'], '/foo/bar/test.go/child', true],
  [['/foo/bar/*'], '/foo', false],
  [['/foo/bar/*', '!/foo/bar/[a-m]*'], '/foo', false],
  [['/foo/**/test.c'], '/foo/bar/foo/bar/test.c', true],
  [['/foo/*/test.c'], '/foo/bar/foo/bar/test.c', false],
];

t.test("restic's list table, negative patterns included", async (t) => {
  for (const [patterns, path, want] of listTests) {
    t.equal(excluded(patterns, path), want, `List(${JSON.stringify(patterns)}, ${path}) = ${want}`);
  }
});

t.test('a negative pattern re-includes what lies below the path it matches', async (t) => {
  // restic's documented recipe: exclude all of $HOME but a few directories.
  const m = compileExcludes(['$HOME/*', '!$HOME/Documents', '*~'], { HOME: '/home/ann' });
  t.same(m.patterns, ['/home/ann/*', '!/home/ann/Documents', '*~']);
  t.ok(m.excludes(Buffer.from('/home/ann/Music')));
  t.notOk(m.excludes(Buffer.from('/home/ann/Documents')));
  t.notOk(m.excludes(Buffer.from('/home/ann/Documents/report.txt')), 'below a re-included parent');
  t.ok(m.excludes(Buffer.from('/home/ann/Documents/report.txt~')), 'a later pattern still applies');
  t.notOk(m.excludes(Buffer.from('/home/ann')), 'the parent itself is not excluded');
});

t.test('raw bytes: invalid UTF-8 names match wildcards', async (t) => {
  const name = Buffer.from([0x2f, 0x64, 0x2f, 0x66, 0xff]); // "/d/f\xff"
  t.ok(excluded(['f*'], name));
  t.ok(excluded(['/d/?'], Buffer.from([0x2f, 0x64, 0x2f, 0xff])));
  t.notOk(excluded(['/d/?'], name));
  t.ok(excluded(['/d'], name));
  t.notOk(excluded(['g*'], name));
});

t.test('invalid patterns fail when compiled, with every bad pattern named', async (t) => {
  for (const patterns of [['test/['], ['test/**/['], ['ok', 'a[', '[]']]) {
    try {
      compileExcludes(patterns, {});
      t.fail(`${JSON.stringify(patterns)} should be rejected`);
    } catch (e) {
      t.ok(e instanceof CairnError, 'a CairnError');
      const err = e as CairnError;
      t.equal(err.code, 'invalid_params');
      t.equal(err.status, 400);
      const field = err.params.excludes as { code: string; message: string };
      t.equal(field.code, 'invalid_argument');
      for (const p of patterns.filter((p) => p !== 'ok')) t.match(field.message, JSON.stringify(p));
      t.notMatch(field.message, '"ok"');
    }
  }
  t.doesNotThrow(() => compileExcludes(['[a-z]*', '\\*', '**', '!x', ''], {}));
});

t.test('environment expansion (Go os.Expand, restic mapping)', async (t) => {
  const env = { HOME: '/home/ann', X: 'x', EMPTY: '' };
  const cases: Array<[string, string]> = [
    ['$HOME/.cache', '/home/ann/.cache'],
    ['${HOME}/.cache', '/home/ann/.cache'],
    ['${HOME}x', '/home/annx'],
    ['$HOMEx', ''], // the name runs on while alphanumeric
    ['$X.tmp', 'x.tmp'],
    ['$UNSET/a', '/a'],
    ['$EMPTY/a', '/a'],
    ['$$HOME', '$HOME'],
    ['a$$', 'a$'],
    ['cost$', 'cost$'],
    ['a$/b', 'a$/b'],
    ['${}x', 'x'],
    ['${HOME', 'HOME'],
    ['$-x', 'x'],
    ['${1}y', 'y'],
    ['no vars', 'no vars'],
  ];
  for (const [input, want] of cases) t.equal(expandEnv(input, env), want, `${input} → ${want}`);
  const m = compileExcludes(['$HOME/tmp', '$UNSET', '${X}*'], env);
  t.same(m.patterns, ['/home/ann/tmp', 'x*'], 'a pattern that expands to nothing is dropped');
  t.ok(m.excludes(Buffer.from('/home/ann/tmp/a')));
  t.ok(m.excludes(Buffer.from('/srv/xy')));
  t.notOk(m.excludes(Buffer.from('/srv/y')));
});
