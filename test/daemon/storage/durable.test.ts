// Durable placement: makeDirs names every directory whose entries changed, placeFile
// renames a finished temp file under its final name.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs, placeFile } from '../../../daemon/storage/durable.js';
import { tmpDir } from '../../helpers/tmp.js';

t.test('makeDirs lists the directory and the parents of those it created', async (t) => {
  const root = tmpDir(t);
  t.same(await makeDirs(root), [root], 'existing: only itself');
  const deep = join(root, 'a', 'b', 'c');
  t.same((await makeDirs(deep)).sort(), [root, join(root, 'a'), join(root, 'a', 'b'), deep].sort());
  t.ok(existsSync(deep));
  t.same(await makeDirs(deep), [deep], 'second time: nothing created');
  mkdirSync(join(root, 'x'));
  t.same((await makeDirs(join(root, 'x', 'y'))).sort(), [join(root, 'x'), join(root, 'x', 'y')].sort());
});

t.test('placeFile renames into new directories', async (t) => {
  const root = tmpDir(t);
  const tmp = join(root, 'tmp-file');
  writeFileSync(tmp, 'bytes');
  await placeFile(tmp, join(root, 'packs', 'ab', 'abcd'));
  t.notOk(existsSync(tmp));
  t.equal(readFileSync(join(root, 'packs', 'ab', 'abcd'), 'utf8'), 'bytes');
});
