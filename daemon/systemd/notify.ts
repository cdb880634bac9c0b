// daemon/systemd/notify.ts — sd_notify (Type=notify units): READY=1, STATUS=…,
// STOPPING=1, and WATCHDOG=1 on a timer when systemd asks for it. A no-op without
// NOTIFY_SOCKET; never throws (a failed notification is logged).
import { sdNotify } from '../../native/index.js';
import { logger } from '../log.js';

const log = logger('systemd');

export type NotifySender = (state: string) => boolean;

/** Sends one notification; false when there is no NOTIFY_SOCKET or sending failed. */
export function notify(state: string, env: NodeJS.ProcessEnv = process.env, send: NotifySender = sdNotify): boolean {
  if (!env.NOTIFY_SOCKET) return false;
  try {
    return send(state);
  } catch (e) {
    log.warn('sd_notify failed', { state, error: (e as Error).message });
    return false;
  }
}

/** The watchdog period in ms that systemd expects for this process, or null. */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return usec / 1000;
}

/** Sends WATCHDOG=1 at half the period systemd set; returns the stop function (a no-op
 *  when no watchdog is configured). The timer never keeps the process alive. */
export function startWatchdog(env: NodeJS.ProcessEnv = process.env, send: NotifySender = sdNotify): () => void {
  const period = watchdogIntervalMs(env);
  if (period === null) return () => {};
  const timer = setInterval(() => notify('WATCHDOG=1', env, send), Math.max(1, Math.floor(period / 2)));
  timer.unref();
  return () => clearInterval(timer);
}
