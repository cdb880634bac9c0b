// daemon/systemd/listen-fds.ts — sockets passed by systemd socket activation
// (sd_listen_fds): LISTEN_PID must be this process; the fds are 3 … 3+LISTEN_FDS-1. The
// variables are removed once read so that child processes do not inherit them.
import { readFileSync, readlinkSync } from 'node:fs';

export const SD_LISTEN_FDS_START = 3;

export interface ListenFd {
  fd: number;
  /** From LISTEN_FDNAMES, when systemd set it. */
  name: string | null;
}

export function listenFds(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ListenFd[] {
  const count = Number(env.LISTEN_FDS);
  const forUs = env.LISTEN_PID !== undefined && Number(env.LISTEN_PID) === pid;
  const names = env.LISTEN_FDNAMES?.split(':') ?? [];
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_FDNAMES;
  if (!forUs || !Number.isInteger(count) || count <= 0) return [];
  return Array.from({ length: count }, (_, i) => ({ fd: SD_LISTEN_FDS_START + i, name: names[i] ?? null }));
}

/** The path of a Unix socket fd (from /proc/net/unix), '' for an unnamed or abstract
 *  Unix socket, or null when the fd is not a Unix socket (TCP). Linux only. */
export function unixSocketPathOfFd(fd: number): string | null {
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
  const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
  if (!inode) return null;
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return null;
  }
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[6] === inode) return cols[7] ?? '';
  }
  return null;
}
