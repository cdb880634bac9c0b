// shared/paths.ts — where cairn keeps things by default (DESIGN §4 "Defaults"): the
// daemon's state dir, config file, socket, default repository and admin token, and the
// order in which a client looks for the socket and a token. Pure: the environment is
// passed in (process.env by default); nothing here touches the disk.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export const SOCKET_NAME = 'cairn.sock';
export const CONFIG_NAME = 'cairnd.json';
export const TOKEN_NAME = 'admin.token';
/** Where a system (systemd) daemon puts its socket and token. */
export const SYSTEM_SOCKET = '/run/cairn/cairn.sock';
export const SYSTEM_TOKEN_FILE = '/var/lib/cairn/admin.token';

/** systemd's *_DIRECTORY variables may hold several ':'-separated paths: the first counts. */
function systemdDir(value: string | undefined): string | undefined {
  const first = value?.split(':').find((p) => p !== '');
  return first && isAbsolute(first) ? first : undefined;
}

/** XDG variables count only when absolute (XDG Base Directory spec). */
function xdg(value: string | undefined): string | undefined {
  return value && isAbsolute(value) ? value : undefined;
}

function home(env: Env): string {
  return xdg(env.HOME) ?? homedir();
}

/** `$STATE_DIRECTORY`, else `$XDG_STATE_HOME/cairn`, else `~/.local/state/cairn`. */
export function defaultStateDir(env: Env = process.env): string {
  return systemdDir(env.STATE_DIRECTORY)
    ?? join(xdg(env.XDG_STATE_HOME) ?? join(home(env), '.local', 'state'), 'cairn');
}

/** `$CONFIGURATION_DIRECTORY/cairnd.json`, else `$XDG_CONFIG_HOME/cairn/cairnd.json`
 *  (`~/.config/cairn/cairnd.json`). `--config` overrides it. */
export function defaultConfigFile(env: Env = process.env): string {
  const dir = systemdDir(env.CONFIGURATION_DIRECTORY);
  if (dir) return join(dir, CONFIG_NAME);
  return join(xdg(env.XDG_CONFIG_HOME) ?? join(home(env), '.config'), 'cairn', CONFIG_NAME);
}

/** `$RUNTIME_DIRECTORY/cairn.sock`, else `$XDG_RUNTIME_DIR/cairn.sock`, else `<state>/cairn.sock`. */
export function defaultSocketPath(stateDir: string, env: Env = process.env): string {
  const dir = systemdDir(env.RUNTIME_DIRECTORY) ?? xdg(env.XDG_RUNTIME_DIR) ?? stateDir;
  return join(dir, SOCKET_NAME);
}

/** `$XDG_DATA_HOME/cairn/repo`, else `~/.local/share/cairn/repo`. */
export function defaultRepositoryPath(env: Env = process.env): string {
  return join(xdg(env.XDG_DATA_HOME) ?? join(home(env), '.local', 'share'), 'cairn', 'repo');
}

/** The TCP admin token the daemon keeps in its state dir. */
export function adminTokenFile(stateDir: string): string {
  return join(stateDir, TOKEN_NAME);
}

/** Sockets a client tries, in order: `$XDG_RUNTIME_DIR/cairn.sock`, the default state
 *  dir's socket, `/run/cairn/cairn.sock`. */
export function clientSocketCandidates(env: Env = process.env): string[] {
  const runtime = xdg(env.XDG_RUNTIME_DIR);
  const list = [runtime ? join(runtime, SOCKET_NAME) : null, join(defaultStateDir(env), SOCKET_NAME), SYSTEM_SOCKET];
  return [...new Set(list.filter((p): p is string => p !== null))];
}

export type TokenSource =
  | { kind: 'value'; value: string; source: '--token' | 'CAIRN_TOKEN' }
  | { kind: 'file'; path: string };

/** Where a client takes its token, in order (API.md "Access"): `--token`, `CAIRN_TOKEN`,
 *  `<default state dir>/admin.token`, `/var/lib/cairn/admin.token`; the first readable wins. */
export function clientTokenSources(flagToken: string | undefined, env: Env = process.env): TokenSource[] {
  const out: TokenSource[] = [];
  if (flagToken) out.push({ kind: 'value', value: flagToken, source: '--token' });
  if (env.CAIRN_TOKEN) out.push({ kind: 'value', value: env.CAIRN_TOKEN, source: 'CAIRN_TOKEN' });
  const own = adminTokenFile(defaultStateDir(env));
  out.push({ kind: 'file', path: own });
  if (own !== SYSTEM_TOKEN_FILE) out.push({ kind: 'file', path: SYSTEM_TOKEN_FILE });
  return out;
}
