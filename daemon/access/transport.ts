// daemon/access/transport.ts — which listener a connection came on and, for the Unix
// socket, the peer's uid (SO_PEERCRED via native/, read once per connection and cached).
import type { Server, Socket } from 'node:net';
import { peerCred } from '../../native/index.js';
import { logger } from '../log.js';

const log = logger('access');

export type Transport = 'unix' | 'tcp';
export type PeerCredFn = (fd: number) => { uid: number };

/** The private parts of net.Socket we read (DESIGN §6: SO_PEERCRED needs the fd). */
interface SocketInternals {
  server?: Server;
  _handle?: { fd?: number } | null;
}

const transports = new WeakMap<Server, Transport>();
const peers = new WeakMap<Socket, number | null>();
let warned = false;

/** Records a listener's transport (an inherited fd is classified by its address). */
export function markTransport(server: Server, transport: Transport): void {
  transports.set(server, transport);
}

/** 'unix' for a Unix-socket connection; anything else (TCP, in-process inject) is 'tcp'. */
export function transportOf(socket: Socket): Transport {
  const server = (socket as unknown as SocketInternals).server;
  if (!server) return 'tcp';
  let t = transports.get(server);
  if (!t) {
    t = typeof server.address() === 'string' ? 'unix' : 'tcp';
    transports.set(server, t);
  }
  return t;
}

/** The uid of a Unix-socket peer, or null when it cannot be read (then it is not admin). */
export function peerUid(socket: Socket, read: PeerCredFn = peerCred): number | null {
  if (peers.has(socket)) return peers.get(socket)!;
  let uid: number | null = null;
  try {
    const fd = (socket as unknown as SocketInternals)._handle?.fd;
    if (typeof fd === 'number' && fd >= 0) uid = read(fd).uid;
  } catch (e) {
    if (!warned) log.warn('cannot read socket peer credentials; peers need a token', { error: (e as Error).message });
    warned = true;
  }
  peers.set(socket, uid);
  return uid;
}
