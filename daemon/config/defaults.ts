// daemon/config/defaults.ts — every daemon default, once, with its unit. Paths that depend
// on the environment (XDG/systemd) come from shared/paths.ts at load time.

export const DEFAULTS = {
  /** TCP address "HOST:PORT" ("none" turns TCP off; port 0 = any free port). */
  listen: '127.0.0.1:9595',
  /** Permission bits of the Unix socket (octal). */
  socket_mode: 0o600,
  /** Group owning the Unix socket (name or gid); null = the daemon's own group. */
  socket_group: null as string | number | null,
  /** `--no-auth`: TCP requests without a token act as admin; loopback addresses only. */
  no_auth: false,
  /** A file holding the default repository's passphrase; null = `<state>/passphrase`. */
  passphrase_file: null as string | null,
  http: {
    /** ms to receive a whole request (headers and body). */
    request_timeout_ms: 60_000,
    /** ms to receive the request headers. */
    headers_timeout_ms: 20_000,
    /** ms an idle keep-alive connection stays open. */
    keep_alive_timeout_ms: 5_000,
    /** ms between Node's checks of the two request timeouts (they fire only at a check). */
    connections_check_interval_ms: 5_000,
    /** bytes: the largest request body accepted (413 above). */
    body_limit: 1_048_576,
  },
  jobs: {
    /** backups running at once per repository (DESIGN §3 "Writing safely"). */
    max_backups: 2,
    /** ms: at most one progress update per job per interval. */
    progress_interval_ms: 250,
    /** finished jobs kept (memory and `<state>/jobs/`); older ones are deleted. */
    history_limit: 500,
    /** log lines kept per job; later lines are dropped with one notice. */
    log_lines: 10_000,
  },
  backup: {
    /** ms: a file changed this recently before a backup starts is not files-cached. */
    files_cache_window_ms: 3_000,
  },
  rate_limits: {
    /** per minute, per remote address, TCP only; 0 turns a limit off. */
    auth_failures_per_min: 5,
    reads_per_min: 600,
    writes_per_min: 60,
  },
} as const;

/** Sub-directory of the state dir under which non-admin restores must land. */
export const RESTORE_ROOT_NAME = 'restores';
/** File in the state dir holding the default repository's generated passphrase. */
export const PASSPHRASE_NAME = 'passphrase';
