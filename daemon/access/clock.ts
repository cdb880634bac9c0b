// daemon/access/clock.ts — the access layer's time source (key expiry, rate-limit windows,
// signed-URL expiry), injected so tests never sleep. daemon.ts takes it from
// clockFromEnv: the system clock, shifted by `CAIRN_TEST_CLOCK_OFFSET_MS` only when
// `CAIRN_TEST=1` (end-to-end tests of expiry against a real cairnd).

export interface AccessClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemAccessClock: AccessClock = { now: () => Date.now() };

/** The system clock, or in tests (`CAIRN_TEST=1`) the system clock plus
 *  `CAIRN_TEST_CLOCK_OFFSET_MS` (an integer, may be negative). */
export function clockFromEnv(env: NodeJS.ProcessEnv): AccessClock {
  if (env.CAIRN_TEST !== '1') return systemAccessClock;
  const text = env.CAIRN_TEST_CLOCK_OFFSET_MS;
  const offset = text !== undefined && /^-?\d{1,15}$/.test(text) ? Number(text) : 0;
  return offset === 0 ? systemAccessClock : { now: () => Date.now() + offset };
}
