// shared/paths.ts: default locations from XDG and systemd variables.
import t from 'tap';
import {
  adminTokenFile, clientSocketCandidates, clientTokenSources, defaultConfigFile, defaultRepositoryPath,
  defaultSocketPath, defaultStateDir, SYSTEM_SOCKET, SYSTEM_TOKEN_FILE,
} from '../../shared/paths.js';

const HOME = { HOME: '/home/ann' };

t.test('state dir: STATE_DIRECTORY, then XDG_STATE_HOME/cairn, then ~/.local/state/cairn', async (t) => {
  t.equal(defaultStateDir({ ...HOME, STATE_DIRECTORY: '/var/lib/cairn:/var/lib/other', XDG_STATE_HOME: '/x' }), '/var/lib/cairn');
  t.equal(defaultStateDir({ ...HOME, XDG_STATE_HOME: '/xdg/state' }), '/xdg/state/cairn');
  t.equal(defaultStateDir({ ...HOME, XDG_STATE_HOME: 'relative' }), '/home/ann/.local/state/cairn');
  t.equal(defaultStateDir(HOME), '/home/ann/.local/state/cairn');
});

t.test('config file: CONFIGURATION_DIRECTORY, then XDG_CONFIG_HOME, then ~/.config', async (t) => {
  t.equal(defaultConfigFile({ ...HOME, CONFIGURATION_DIRECTORY: '/etc/cairn' }), '/etc/cairn/cairnd.json');
  t.equal(defaultConfigFile({ ...HOME, XDG_CONFIG_HOME: '/cfg' }), '/cfg/cairn/cairnd.json');
  t.equal(defaultConfigFile(HOME), '/home/ann/.config/cairn/cairnd.json');
});

t.test('socket: RUNTIME_DIRECTORY, then XDG_RUNTIME_DIR, then the state dir', async (t) => {
  t.equal(defaultSocketPath('/s', { RUNTIME_DIRECTORY: '/run/cairn', XDG_RUNTIME_DIR: '/run/user/1' }), '/run/cairn/cairn.sock');
  t.equal(defaultSocketPath('/s', { XDG_RUNTIME_DIR: '/run/user/1' }), '/run/user/1/cairn.sock');
  t.equal(defaultSocketPath('/s', {}), '/s/cairn.sock');
});

t.test('repository and token', async (t) => {
  t.equal(defaultRepositoryPath({ ...HOME, XDG_DATA_HOME: '/data' }), '/data/cairn/repo');
  t.equal(defaultRepositoryPath(HOME), '/home/ann/.local/share/cairn/repo');
  t.equal(adminTokenFile('/s'), '/s/admin.token');
});

t.test('client search orders', async (t) => {
  t.same(clientSocketCandidates({ ...HOME, XDG_RUNTIME_DIR: '/run/user/1' }),
    ['/run/user/1/cairn.sock', '/home/ann/.local/state/cairn/cairn.sock', SYSTEM_SOCKET]);
  t.same(clientSocketCandidates(HOME), ['/home/ann/.local/state/cairn/cairn.sock', SYSTEM_SOCKET]);
  t.same(clientTokenSources('flag', { ...HOME, CAIRN_TOKEN: 'env' }), [
    { kind: 'value', value: 'flag', source: '--token' },
    { kind: 'value', value: 'env', source: 'CAIRN_TOKEN' },
    { kind: 'file', path: '/home/ann/.local/state/cairn/admin.token' },
    { kind: 'file', path: SYSTEM_TOKEN_FILE },
  ]);
  t.same(clientTokenSources(undefined, { STATE_DIRECTORY: '/var/lib/cairn' }), [{ kind: 'file', path: SYSTEM_TOKEN_FILE }]);
});
