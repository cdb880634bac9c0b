// cairnd end to end, the thinnest path: start, back up a directory through the socket with
// curl, list it, restore it through the API, compare; then stop with SIGTERM.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnd, curlSock } from '../helpers/cairnd.js';
import { tmpDir } from '../helpers/tmp.js';
import { compareTrees, prng } from '../helpers/tree.js';

t.test('back up and restore through cairnd', async (t) => {
  const d = await startCairnd(t);
  const work = tmpDir(t);
  const src = join(work, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'hello\n');
  writeFileSync(join(src, 'sub', 'big.bin'), prng(1, 2 << 20));
  const b = await curlSock(d, ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify({ source: [src] }), '/api/snapshots/create']);
  t.equal(b.status, 200, b.stdout);
  const id = (b.json as { snapshot_id: string }).snapshot_id;
  const list = await curlSock(d, ['/api/repository/snapshots']);
  t.equal((list.json as { total: number }).total, 1);
  const dest = join(work, 'dest');
  const r = await curlSock(d, ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify({ destination: dest }), `/api/snapshots/${id.slice(0, 8)}/restore`]);
  t.equal(r.status, 200, r.stdout);
  t.same(compareTrees(src, join(dest, src)), []);
  await d.stop();
  t.equal(await d.exited, 0, 'SIGTERM exits 0');
});
