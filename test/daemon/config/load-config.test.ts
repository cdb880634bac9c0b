// daemon/config: defaults, file, env and flags in that order; validation; frozen.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, loadConfig, parseListen } from '../../../daemon/config/index.js';
import { tmpDir } from '../../helpers/tmp.js';

function setup(t: { teardown(fn: () => void): void }, json?: unknown) {
  const dir = tmpDir(t);
  const env = { HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'cfg'), XDG_STATE_HOME: join(dir, 'st') };
  const file = join(dir, 'cfg', 'cairn', 'cairnd.json');
  if (json !== undefined) {
    mkdirSync(join(dir, 'cfg', 'cairn'), { recursive: true });
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  }
  return { dir, env, file };
}

t.test('no file: every default, paths from the environment', async (t) => {
  const { dir, env } = setup(t);
  const c = loadConfig({ env, cwd: dir });
  t.equal(c.source, null);
  t.equal(c.state_dir, join(dir, 'st', 'cairn'));
  t.equal(c.socket, join(dir, 'st', 'cairn', 'cairn.sock'));
  t.same(c.listen, { host: '127.0.0.1', port: 9595 });
  t.equal(c.socket_mode, 0o600);
  t.equal(c.socket_group, null);
  t.equal(c.restore_root, join(dir, 'st', 'cairn', 'restores'));
  t.equal(c.repository, join(dir, 'home', '.local', 'share', 'cairn', 'repo'));
  t.same(c.http, DEFAULTS.http);
  t.same(c.jobs, DEFAULTS.jobs);
  t.equal(c.jobs.max_backups, 2);
  t.equal(c.jobs.progress_interval_ms, 250);
  t.equal(c.backup.files_cache_window_ms, 3000);
  t.same(c.rate_limits, { auth_failures_per_min: 5, reads_per_min: 600, writes_per_min: 60 });
  t.ok(Object.isFrozen(c) && Object.isFrozen(c.http) && Object.isFrozen(c.listen), 'frozen');
  t.throws(() => { (c.http as { body_limit: number }).body_limit = 1; });
});

t.test('file, then env, then flags', async (t) => {
  const { dir, env, file } = setup(t, {
    state_dir: 'state', listen: '0.0.0.0:1', socket_mode: '0660', socket_group: 'staff',
    http: { body_limit: 2048 }, jobs: { max_backups: 4 },
  });
  const c1 = loadConfig({ env, cwd: dir });
  t.equal(c1.source, file);
  t.equal(c1.state_dir, join(dir, 'cfg', 'cairn', 'state'), 'relative paths in the file are relative to it');
  t.equal(c1.socket_mode, 0o660);
  t.equal(c1.socket_group, 'staff');
  t.equal(c1.http.body_limit, 2048);
  t.equal(c1.http.request_timeout_ms, DEFAULTS.http.request_timeout_ms, 'a partial group keeps its other defaults');
  t.equal(c1.jobs.max_backups, 4);
  t.same(c1.listen, { host: '0.0.0.0', port: 1 });
  const c2 = loadConfig({ env: { ...env, CAIRN_LISTEN: '[::1]:2', CAIRN_STATE_DIR: '/env/state' }, cwd: dir });
  t.same(c2.listen, { host: '::1', port: 2 });
  t.equal(c2.state_dir, '/env/state');
  const c3 = loadConfig({ env: { ...env, CAIRN_LISTEN: '[::1]:2' }, cwd: dir, flags: { listen: 'none', socket: 'x.sock' } });
  t.equal(c3.listen, null);
  t.equal(c3.socket, join(dir, 'x.sock'), 'flags are relative to the working directory');
});

t.test('errors are one line and name the file and key', async (t) => {
  const bad: Array<[unknown, RegExp, string]> = [
    ['{"listen": ', /not valid JSON/, 'config'],
    ['[1]', /expected a JSON object/, 'config'],
    [{ lissten: 'x' }, /unknown config key "lissten"/, 'lissten'],
    [{ http: { body_limt: 1 } }, /unknown config key "http.body_limt"/, 'http.body_limt'],
    [{ jobs: { max_backups: 0 } }, /"jobs.max_backups"/, 'jobs.max_backups'],
    [{ http: { body_limit: '1MB' } }, /"http.body_limit"/, 'http.body_limit'],
    [{ listen: 'localhost' }, /listen address "localhost"/, 'listen'],
    [{ listen: 'h:99999' }, /listen address/, 'listen'],
  ];
  for (const [json, re, key] of bad) {
    const { dir, env, file } = setup(t, json);
    try {
      loadConfig({ env, cwd: dir });
      t.fail(`accepted ${JSON.stringify(json)}`);
    } catch (e) {
      const err = e as Error & { code: string; params: Record<string, unknown> };
      t.match(err.message, re);
      t.notMatch(err.message, /\n/, 'one line');
      if (key !== 'listen') t.match(err.message, file);
      t.equal(err.code, 'invalid_params');
      t.ok(err.params[key], `params names ${key}`);
    }
  }
});

t.test('an explicit --config must exist; an empty file means defaults', async (t) => {
  const { dir, env } = setup(t);
  t.throws(() => loadConfig({ env, cwd: dir, configFile: 'missing.json' }), { message: /not found/ });
  writeFileSync(join(dir, 'empty.json'), '');
  t.equal(loadConfig({ env, cwd: dir, configFile: 'empty.json' }).listen?.port, 9595);
  t.throws(() => loadConfig({ env, cwd: dir, flags: { listen: 'nonsense' } }), { code: 'invalid_params' });
});

t.test('parseListen', async (t) => {
  t.same(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.same(parseListen('[::]:80'), { host: '::', port: 80 });
  t.equal(parseListen('none'), null);
  t.equal(parseListen(null), null);
  t.throws(() => parseListen(':80'));
  t.throws(() => parseListen('h:'));
});
