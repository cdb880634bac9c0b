// daemon/systemd — what systemd's Type=notify and socket activation need (DESIGN §4).
//   notify(READY=1 | STATUS=… | STOPPING=1) → native sd_notify (no-op without NOTIFY_SOCKET)
//   startWatchdog(): WATCHDOG=1 every WATCHDOG_USEC/2
//   listenFds(): the fds of LISTEN_PID/LISTEN_FDS, for the API's listeners
//   unixSocketPathOfFd(): tells an inherited Unix socket (and its path) from TCP
// Called by main.ts and daemon.ts.
export { notify, startWatchdog, watchdogIntervalMs } from './notify.js';
export type { NotifySender } from './notify.js';
export { listenFds, unixSocketPathOfFd, SD_LISTEN_FDS_START } from './listen-fds.js';
export type { ListenFd } from './listen-fds.js';
