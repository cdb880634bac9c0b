// tui/client/address.ts — where the client finds cairnd and which token it sends
// (API.md "Access", DESIGN §4): `--socket`/`--url`, then CAIRN_SOCKET/CAIRN_URL, then the
// first socket of shared/paths.ts's candidates that exists. A token is taken from
// `--token`, CAIRN_TOKEN, then the admin token files, but the files only for TCP (on the
// Unix socket the daemon knows its peer).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { clientSocketCandidates, clientTokenSources, type Env } from '../../shared/paths.js';

export type Endpoint =
  | { kind: 'unix'; socketPath: string; /** every socket looked for, when none was named */ tried?: string[] }
  | { kind: 'tcp'; url: URL };

export interface AddressOptions {
  socket?: string | undefined;
  url?: string | undefined;
}

/** A bad `--socket`/`--url` (or their variables): the CLI's usage error. */
export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressError';
  }
}

function parseUrl(text: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AddressError(`${from}: "${text}" is not a URL (e.g. http://127.0.0.1:9595)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AddressError(`${from}: "${text}" must be an http:// or https:// URL`);
  }
  return url;
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** Flags win over variables; naming both a socket and a URL at the same level is an error.
 *  Relative socket paths are taken from `cwd`. */
export function resolveEndpoint(opts: AddressOptions, env: Env = process.env, cwd = process.cwd()): Endpoint {
  if (opts.socket && opts.url) throw new AddressError('give either --socket or --url, not both');
  if (opts.socket) return { kind: 'unix', socketPath: resolve(cwd, opts.socket) };
  if (opts.url) return { kind: 'tcp', url: parseUrl(opts.url, '--url') };
  if (env.CAIRN_SOCKET) return { kind: 'unix', socketPath: resolve(cwd, env.CAIRN_SOCKET) };
  if (env.CAIRN_URL) return { kind: 'tcp', url: parseUrl(env.CAIRN_URL, 'CAIRN_URL') };
  const tried = clientSocketCandidates(env);
  const found = tried.find(isSocket);
  return found ? { kind: 'unix', socketPath: found } : { kind: 'unix', socketPath: tried[0]!, tried };
}

/** The token to send, or null. Files count only for TCP; the first readable non-empty one wins. */
export function resolveToken(endpoint: Endpoint, flagToken: string | undefined, env: Env = process.env): string | null {
  for (const source of clientTokenSources(flagToken, env)) {
    if (source.kind === 'value') return source.value;
    if (endpoint.kind !== 'tcp') return null;
    try {
      const token = readFileSync(source.path, 'utf8').trim();
      if (token) return token;
    } catch {
      // unreadable: try the next one
    }
  }
  return null;
}

/** How an endpoint is named in messages: the socket path or the URL. */
export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? endpoint.socketPath : endpoint.url.origin + endpoint.url.pathname.replace(/\/$/, '');
}
