// native/index.ts: the addon loads in worker threads, and a missing build says what to do.
import t from 'tap';
import { Worker } from 'node:worker_threads';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { createChunker, getpwuid, nativeAddonPath } from '../../native/index.js';
import { DEFAULT_CHUNKER_PARAMS } from '../../daemon/chunking/index.js';
import { goldenGear, prngBytes } from '../daemon/chunking/golden.js';
import { tmpDir } from '../helpers/tmp.js';

const indexJs = join(fileURLToPath(import.meta.url), '..', '..', '..', 'native', 'index.js');

t.test('the addon path is the node-gyp output beside the sources', async (t) => {
  t.ok(nativeAddonPath.endsWith('/native/build/Release/cairn_native.node'));
  t.ok(existsSync(nativeAddonPath));
  t.equal(getpwuid(0), 'root');
});

t.test('chunking works the same in several worker threads at once', async (t) => {
  const gear = goldenGear();
  const data = prngBytes(0x77n, 8 << 20);
  const want = Array.from(createChunker({ gear, ...DEFAULT_CHUNKER_PARAMS }).cuts(data, true));
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then((m) => {
      const c = m.createChunker({ gear: workerData.gear, ...workerData.params });
      parentPort.postMessage(Array.from(c.cuts(workerData.data, true)));
    }, (e) => parentPort.postMessage(String(e)));
  `;
  const run = () => new Promise<unknown>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { url: pathToFileURL(indexJs).href, gear, data, params: DEFAULT_CHUNKER_PARAMS } });
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
  const results = await Promise.all([run(), run(), run()]);
  for (const r of results) t.same(r, want);
});

t.test('a missing build throws a clear error on first use', async (t) => {
  const root = tmpDir(t);
  mkdirSync(join(root, 'dist', 'native'), { recursive: true });
  const copy = join(root, 'dist', 'native', 'index.mjs');
  copyFileSync(indexJs, copy);
  const m = (await import(pathToFileURL(copy).href)) as typeof import('../../native/index.js');
  t.throws(() => m.getpwuid(0), { message: 'cairn native addon is not built: run npm run bootstrap' });
});
