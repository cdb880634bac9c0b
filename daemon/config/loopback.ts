// daemon/config/loopback.ts — whether a listen address stays on this machine: `--no-auth`
// (TCP without tokens, for development) is refused for any other (API.md "Access").
// Used by load-config.ts (the configured address) and daemon.ts (the bound one, which
// may come from systemd).
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, an IPv4-mapped loopback, or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The host part of "HOST:PORT" ("[::1]:9595" for IPv6). */
export function hostOf(address: string): string {
  const colon = address.lastIndexOf(':');
  return (colon > 0 ? address.slice(0, colon) : address).replace(/^\[(.*)\]$/, '$1');
}
