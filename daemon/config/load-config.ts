// daemon/config/load-config.ts — builds the daemon's Config: defaults, then the JSON file,
// then CAIRN_* environment variables, then command-line flags; validated once, frozen.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TObject, TSchema } from '@sinclair/typebox';
import { CairnError } from '../errors.js';
import {
  defaultConfigFile, defaultRepositoryPath, defaultSocketPath, defaultStateDir, type Env,
} from '../../shared/paths.js';
import { DEFAULTS, PASSPHRASE_NAME, RESTORE_ROOT_NAME } from './defaults.js';
import { isLoopbackHost } from './loopback.js';
import { ConfigInput, type Config, type ConfigInputJson, type ListenAddress } from './schema.js';

/** Command-line flags of cairnd that set config keys. */
export interface ConfigFlags {
  state_dir?: string;
  socket?: string;
  /** HOST:PORT or "none". */
  listen?: string;
  repository?: string;
  passphrase_file?: string;
  /** `--no-auth` */
  no_auth?: boolean;
}

export interface LoadConfigOptions {
  /** `--config FILE`; a missing explicit file is an error, a missing default one is not. */
  configFile?: string;
  flags?: ConfigFlags;
  env?: Env;
  cwd?: string;
}

/** Environment variables that set config keys (between the file and the flags). */
export const CONFIG_ENV: Readonly<Record<string, keyof ConfigFlags>> = {
  CAIRN_STATE_DIR: 'state_dir',
  CAIRN_SOCKET: 'socket',
  CAIRN_LISTEN: 'listen',
  CAIRN_REPOSITORY: 'repository',
  CAIRN_PASSPHRASE_FILE: 'passphrase_file',
};

const PATH_KEYS = ['state_dir', 'socket', 'repository', 'passphrase_file', 'restore_root'] as const;
const checker = TypeCompiler.Compile(ConfigInput);

function fail(key: string, message: string): CairnError {
  return new CairnError('invalid_params', message, { [key]: { code: 'invalid_argument', message } });
}

/** Names the first key (dotted) that the schema does not know. */
function unknownKey(schema: TSchema, value: unknown, prefix = ''): string | null {
  if (schema.type !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const props = (schema as TObject).properties;
  for (const [k, v] of Object.entries(value)) {
    const sub = props[k];
    if (!sub) return prefix + k;
    const deeper = unknownKey(sub, v, `${prefix}${k}.`);
    if (deeper) return deeper;
  }
  return null;
}

function validate(input: unknown, where: string): ConfigInputJson {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fail('config', `${where}: expected a JSON object`);
  }
  const unknown = unknownKey(ConfigInput, input);
  if (unknown) throw fail(unknown, `${where}: unknown config key "${unknown}"`);
  const first = checker.Errors(input).First();
  if (first) {
    const key = first.path.slice(1).replaceAll('/', '.') || 'config';
    throw fail(key, `${where}: "${key}": ${first.message.toLowerCase()}`);
  }
  return input as ConfigInputJson;
}

/** The file's JSON, or undefined when a default (not explicit) file is absent. */
function readFile(file: string, explicit: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    throw fail('config', `config file ${file}: ${code === 'ENOENT' ? 'not found' : (e as Error).message}`);
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw fail('config', `config file ${file}: not valid JSON (${(e as Error).message})`);
  }
}

function absolutePaths(input: ConfigInputJson, base: string): ConfigInputJson {
  const out: Record<string, unknown> = { ...input };
  for (const k of PATH_KEYS) {
    const v = out[k];
    if (typeof v === 'string') out[k] = resolve(base, v);
  }
  return out as ConfigInputJson;
}

function merge(layers: ConfigInputJson[]): ConfigInputJson {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const prev = out[k];
      out[k] = typeof v === 'object' && v !== null && typeof prev === 'object' && prev !== null
        ? { ...prev, ...v } : v;
    }
  }
  return out as ConfigInputJson;
}

/** Parses "HOST:PORT" ("[::1]:9595" for IPv6); "none" or null turns TCP off. */
export function parseListen(value: string | null): ListenAddress | null {
  if (value === null || value === 'none') return null;
  const colon = value.lastIndexOf(':');
  let host = colon > 0 ? value.slice(0, colon) : '';
  const portText = value.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (host === '' || !(port >= 0 && port <= 65535)) {
    throw fail('listen', `listen address "${value}" is not HOST:PORT or "none"`);
  }
  return { host, port };
}

function parseMode(mode: number | string): number {
  return typeof mode === 'number' ? mode : parseInt(mode.replace(/^0?o?/, ''), 8);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Builds the frozen Config. Throws CairnError('invalid_params') with a one-line message
 *  naming the file and key for a malformed file, an unknown key or a bad value. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const explicit = opts.configFile !== undefined;
  const file = resolve(cwd, opts.configFile ?? defaultConfigFile(env));
  const raw = readFile(file, explicit);
  const fromFile = absolutePaths(validate(raw ?? {}, `config file ${file}`), dirname(file));

  const envInput: Record<string, string> = {};
  for (const [name, key] of Object.entries(CONFIG_ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') envInput[key] = v;
  }
  const fromEnv = absolutePaths(validate(envInput, 'environment'), cwd);
  const flagInput = Object.fromEntries(Object.entries(opts.flags ?? {}).filter(([, v]) => v !== undefined));
  const fromFlags = absolutePaths(validate(flagInput, 'command line'), cwd);
  const m = merge([fromFile, fromEnv, fromFlags]);

  const stateDir = m.state_dir ?? defaultStateDir(env);
  const config: Config = {
    state_dir: stateDir,
    socket: m.socket ?? defaultSocketPath(stateDir, env),
    socket_mode: parseMode(m.socket_mode ?? DEFAULTS.socket_mode),
    socket_group: m.socket_group ?? DEFAULTS.socket_group,
    listen: parseListen(m.listen === undefined ? DEFAULTS.listen : m.listen),
    no_auth: m.no_auth ?? DEFAULTS.no_auth,
    repository: m.repository ?? defaultRepositoryPath(env),
    passphrase_file: m.passphrase_file ?? join(stateDir, PASSPHRASE_NAME),
    restore_root: m.restore_root ?? join(stateDir, RESTORE_ROOT_NAME),
    http: { ...DEFAULTS.http, ...m.http },
    jobs: { ...DEFAULTS.jobs, ...m.jobs },
    backup: { ...DEFAULTS.backup, ...m.backup },
    rate_limits: { ...DEFAULTS.rate_limits, ...m.rate_limits },
    source: raw === undefined ? null : file,
  };
  if (config.no_auth && config.listen && !isLoopbackHost(config.listen.host)) {
    throw fail('no_auth', `--no-auth refuses the non-loopback listen address ${config.listen.host}: use 127.0.0.1 or ::1`);
  }
  return deepFreeze(config);
}
