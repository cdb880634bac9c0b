// daemon/api/listeners.ts — the HTTP servers in front of fastify (DESIGN §4): each one a
// plain http.Server with the configured timeouts and our clientError answer, handing
// requests to `app.routing`. The Unix socket is created under a umask giving exactly
// `mode` (a stale socket file is removed first; one another daemon answers on is not);
// TCP binds HOST:PORT (port 0 = any free port); systemd fds are listened on as given.
import { once } from 'node:events';
import { chown, chmod, lstat, mkdir, readFile, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { markTransport, type Transport } from '../access/index.js';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';
import { unixSocketPathOfFd } from '../systemd/index.js';
import { answerClientError } from './errors.js';

const log = logger('api');

export interface HttpSettings {
  request_timeout_ms: number;
  headers_timeout_ms: number;
  keep_alive_timeout_ms: number;
  connections_check_interval_ms: number;
}

export interface ListenSpec {
  /** The Unix socket to create, unless an inherited fd is one; null for none. */
  socket?: { path: string; mode: number; group: string | number | null } | null;
  /** TCP address to bind, unless an inherited fd is a TCP socket; null for none. */
  tcp?: { host: string; port: number } | null;
  /** Inherited, already-bound sockets (systemd LISTEN_FDS). */
  fds?: readonly { fd: number }[];
}

export interface Listening {
  /** The Unix socket's path (created or inherited), or null. */
  socketPath: string | null;
  /** "HOST:PORT" actually bound, or null. */
  tcpAddress: string | null;
  /** Stops accepting and closes every connection. */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function makeServer(handler: Handler, http: HttpSettings): Server {
  const server = createServer({
    requestTimeout: http.request_timeout_ms,
    headersTimeout: http.headers_timeout_ms,
    keepAliveTimeout: http.keep_alive_timeout_ms,
    connectionsCheckingInterval: http.connections_check_interval_ms,
  }, handler);
  server.keepAliveTimeout = http.keep_alive_timeout_ms;
  server.on('clientError', answerClientError);
  return server;
}

async function listening(server: Server, arg: Parameters<Server['listen']>[0], beforeBind?: () => () => void): Promise<void> {
  const restore = beforeBind?.();
  try {
    server.listen(arg);
  } finally {
    restore?.();
  }
  await once(server, 'listening');
}

/** Whether a process accepts connections on the Unix socket at path. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') resolve(false);
      else reject(new CairnError('conflict', `cannot tell whether ${path} is in use: ${e.code ?? e.message}`));
    });
  });
}

async function clearStaleSocket(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isSocket()) throw new CairnError('conflict', `${path} exists and is not a socket`);
  if (await answers(path)) throw new CairnError('conflict', `another daemon answers on ${path}`);
  log.info('removing a stale socket', { path });
  await unlink(path);
}

async function groupId(group: string | number): Promise<number> {
  if (typeof group === 'number') return group;
  if (/^\d+$/.test(group)) return Number(group);
  const line = (await readFile('/etc/group', 'utf8')).split('\n').find((l) => l.split(':')[0] === group);
  const gid = line ? Number(line.split(':')[2]) : NaN;
  if (!Number.isInteger(gid)) throw new CairnError('invalid_params', `unknown socket group "${group}"`);
  return gid;
}

function formatAddress(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** Starts every listener of `spec`; on failure, closes those already started. */
export async function startListeners(handler: Handler, http: HttpSettings, spec: ListenSpec): Promise<Listening> {
  const servers: Server[] = [];
  let socketPath: string | null = null;
  let tcpAddress: string | null = null;
  const track = (server: Server, transport: Transport): Server => {
    markTransport(server, transport);
    servers.push(server);
    return server;
  };
  const close = async (): Promise<void> => {
    await Promise.all(servers.splice(0).map(async (s) => {
      const closed = once(s, 'close');
      s.close();
      s.closeAllConnections();
      await closed;
    }));
  };
  try {
    for (const { fd } of spec.fds ?? []) {
      const unixPath = unixSocketPathOfFd(fd);
      const server = track(makeServer(handler, http), unixPath === null ? 'tcp' : 'unix');
      await listening(server, { fd });
      const addr = server.address();
      if (unixPath !== null) socketPath ??= unixPath || `fd:${fd}`;
      else if (addr && typeof addr === 'object') tcpAddress ??= formatAddress(addr);
    }
    if (spec.socket && socketPath === null) {
      const { path, mode, group } = spec.socket;
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await clearStaleSocket(path);
      const server = track(makeServer(handler, http), 'unix');
      await listening(server, path, () => {
        const old = process.umask(0o777 & ~mode);
        return () => { process.umask(old); };
      });
      await chmod(path, mode);
      if (group !== null) await chown(path, -1, await groupId(group));
      socketPath = path;
    }
    if (spec.tcp && tcpAddress === null) {
      const server = track(makeServer(handler, http), 'tcp');
      await listening(server, { host: spec.tcp.host, port: spec.tcp.port });
      tcpAddress = formatAddress(server.address() as AddressInfo);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { socketPath, tcpAddress, close };
}
