// Test-only crash points: CAIRN_TEST_CRASH=<step>:<n> kills the process at the n-th time
// the step is reached; storage's own steps leave the temp file and no final object.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrashSpec } from '../../../daemon/storage/crash.js';
import { tmpDir } from '../../helpers/tmp.js';

const storageUrl = new URL('../../../daemon/storage/index.js', import.meta.url).href;

function runChild(dir: string, crash: string, body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const code = `import { openLocalStorage, crashPoint } from ${JSON.stringify(storageUrl)};
const s = await openLocalStorage(${JSON.stringify(dir)});
${body}
await s.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, CAIRN_TEST_CRASH: crash }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (c, signal) => resolve({ code: c, signal, stderr }));
  });
}

t.test('parseCrashSpec', async (t) => {
  t.same(parseCrashSpec('pack-committed:3'), { step: 'pack-committed', n: 3 });
  t.same(parseCrashSpec('put-tmp-written:snapshots:1'), { step: 'put-tmp-written:snapshots', n: 1 });
  for (const bad of [undefined, '', 'pack-committed', 'pack-committed:0', 'pack-committed:x', ':2']) {
    t.equal(parseCrashSpec(bad), null, String(bad));
  }
});

t.test('put-tmp-written:<segment> kills between the temp file and the rename', async (t) => {
  const dir = tmpDir(t);
  const r = await runChild(dir, 'put-tmp-written:snapshots:2', `
await s.put('config', Buffer.from('c'));
await s.put('snapshots/a', Buffer.from('first'));
await s.put('snapshots/b', Buffer.from('second'));
await s.put('snapshots/c', Buffer.from('third'));`);
  t.equal(r.signal, 'SIGKILL', 'the child was killed');
  t.match(r.stderr, /test crash at put-tmp-written:snapshots/);
  t.equal(readFileSync(join(dir, 'snapshots/a'), 'utf8'), 'first');
  t.notOk(existsSync(join(dir, 'snapshots/b')), 'no object under the final name');
  t.notOk(existsSync(join(dir, 'snapshots/c')));
  const tmp = readdirSync(join(dir, 'tmp'));
  t.equal(tmp.length, 1);
  t.equal(readFileSync(join(dir, 'tmp', tmp[0]!), 'utf8'), 'second', 'the complete temp file stays in tmp/');
});

t.test('upload-tmp-written kills after the fsync, before the rename', async (t) => {
  const dir = tmpDir(t);
  const r = await runChild(dir, 'upload-tmp-written:1', `
const u = await s.upload();
await u.write(Buffer.from('pack bytes'));
await u.commit('packs/ab/abcd');`);
  t.equal(r.signal, 'SIGKILL');
  t.notOk(existsSync(join(dir, 'packs/ab/abcd')));
  const tmp = readdirSync(join(dir, 'tmp'));
  t.equal(tmp.length, 1);
  t.equal(readFileSync(join(dir, 'tmp', tmp[0]!), 'utf8'), 'pack bytes');
});

t.test('caller steps count their own occurrences only', async (t) => {
  const dir = tmpDir(t);
  const r = await runChild(dir, 'pack-indexed:2', `
crashPoint('pack-committed');
crashPoint('pack-indexed');
await s.put('one', Buffer.from('1'));
crashPoint('pack-committed');
crashPoint('pack-indexed');
await s.put('two', Buffer.from('2'));`);
  t.equal(r.signal, 'SIGKILL');
  t.ok(existsSync(join(dir, 'one')));
  t.notOk(existsSync(join(dir, 'two')));
});

t.test('without CAIRN_TEST_CRASH nothing happens', async (t) => {
  const dir = tmpDir(t);
  const r = await runChild(dir, '', `crashPoint('pack-indexed');
await s.put('snapshots/a', Buffer.from('x'));`);
  t.equal(r.code, 0);
  t.equal(r.signal, null);
  t.ok(existsSync(join(dir, 'snapshots/a')));
});
