// daemon/snapshot/find.ts: globs on names (dotfiles too), exact names (bytes, even ones a
// glob would read otherwise), patterns with a `/` on whole paths, mime prefixes, and an
// invalid glob as 400 invalid_params naming the field.
import t from 'tap';
import { CairnError } from '../../../daemon/errors.js';
import { compileFind, NodeType, type TreeNode } from '../../../daemon/snapshot/index.js';

const node = (name: string | Buffer, type: TreeNode['type'] = NodeType.file): TreeNode => ({
  name: Buffer.isBuffer(name) ? name : Buffer.from(name), type, mode: 0o644, uid: 0, gid: 0, user: null, group: null, size: 0,
  mtime: [0, 0], atime: [0, 0], ctime: [0, 0], ino: 0, nlink: 1, rdev: 0, xattrs: [], target: null, content: [], subtree: null, error: null,
});
const m = (patterns: string[], name: string | Buffer, opts: { mime?: string; path?: string; type?: TreeNode['type'] } = {}): boolean =>
  compileFind({ patterns, mime: opts.mime })(node(name, opts.type), Buffer.from(opts.path ?? `/x/${name.toString()}`));

t.test('globs and exact names', async (t) => {
  t.ok(m(['*.pdf'], 'a.pdf'));
  t.ok(m(['*.pdf'], '.hidden.pdf'), 'dotfiles match');
  t.notOk(m(['*.pdf'], 'a.pdf.txt'));
  t.ok(m(['*.pdf', '*.doc'], 'b.doc'), 'any pattern');
  t.ok(m(['report-?.{txt,md}'], 'report-1.md'));
  t.ok(m(['[ab]*'], 'beta'));
  t.ok(m(['a\\*b'], 'a*b'), 'an escaped star is literal');
  t.ok(m([], 'anything'), 'no pattern: everything');
  t.ok(m(['bad*'], Buffer.from([0x62, 0x61, 0x64, 0xff])), 'a glob sees invalid UTF-8 as U+FFFD');
  t.ok(m(['*'], Buffer.from([0xff])), 'any name');
  t.ok(m(['/x/*/c.txt'], 'c.txt', { path: '/x/y/c.txt' }), 'a pattern with / matches the path');
  t.notOk(m(['/x/*/c.txt'], 'c.txt', { path: '/x/y/z/c.txt' }));
  t.ok(m(['/x/**/c.txt'], 'c.txt', { path: '/x/y/z/c.txt' }));
});

t.test('mime prefixes, files only', async (t) => {
  t.ok(m([], 'a.png', { mime: 'image/' }));
  t.ok(m([], 'a.PNG', { mime: 'IMAGE/png' }), 'case-insensitive');
  t.notOk(m([], 'a.txt', { mime: 'image/' }));
  t.notOk(m([], 'noext', { mime: 'image/' }));
  t.notOk(m([], 'pics.png', { mime: 'image/', type: NodeType.dir }), 'a directory has no mime type');
  t.ok(m(['*.txt'], 'a.txt', { mime: 'text/plain' }), 'pattern and mime together');
  t.notOk(m(['*.md'], 'a.txt', { mime: 'text/' }));
});

t.test('an invalid glob is 400 invalid_params on its field', async (t) => {
  const refusal = (patterns: string[], field?: string): CairnError | null => {
    try {
      compileFind({ patterns }, field);
      return null;
    } catch (e) {
      return e instanceof CairnError ? e : null;
    }
  };
  for (const bad of ['[', 'a[b', '*.{txt', '(x', 'a]']) {
    const e = refusal([bad]);
    t.equal(e?.code, 'invalid_params', bad);
    t.equal((e?.params.pattern as { code?: string } | undefined)?.code, 'invalid_argument', `${bad}: params.pattern`);
  }
  t.ok(refusal(['ok', '['], 'patterns')?.params.patterns, 'the field named by the caller');
  t.equal(refusal(['a\0b'])?.code, 'invalid_params', 'NUL');
});
