// daemon/config/schema.ts — the shape of cairnd.json (every key optional) and of the
// resolved, frozen Config the daemon runs with.
import { Type, type Static } from '@sinclair/typebox';

const ms = (description: string) => Type.Integer({ minimum: 0, description });
const count = (description: string) => Type.Integer({ minimum: 0, description });

/** The JSON file, environment and flags before defaults: every key optional, none unknown. */
export const ConfigInput = Type.Object({
  state_dir: Type.Optional(Type.String({ minLength: 1 })),
  socket: Type.Optional(Type.String({ minLength: 1 })),
  socket_mode: Type.Optional(Type.Union([
    Type.Integer({ minimum: 0, maximum: 0o777 }),
    Type.String({ pattern: '^0?o?[0-7]{3}$', description: 'octal, e.g. "0660"' }),
  ])),
  socket_group: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })])),
  listen: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, description: 'HOST:PORT or "none"' })])),
  no_auth: Type.Optional(Type.Boolean({ description: 'TCP without tokens (development; loopback only)' })),
  repository: Type.Optional(Type.String({ minLength: 1, description: 'the default repository\'s path' })),
  passphrase_file: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1 })])),
  restore_root: Type.Optional(Type.String({ minLength: 1 })),
  http: Type.Optional(Type.Object({
    request_timeout_ms: Type.Optional(ms('ms')),
    headers_timeout_ms: Type.Optional(ms('ms')),
    keep_alive_timeout_ms: Type.Optional(ms('ms')),
    connections_check_interval_ms: Type.Optional(Type.Integer({ minimum: 1 })),
    body_limit: Type.Optional(Type.Integer({ minimum: 1, description: 'bytes' })),
  })),
  jobs: Type.Optional(Type.Object({
    max_backups: Type.Optional(Type.Integer({ minimum: 1 })),
    progress_interval_ms: Type.Optional(ms('ms')),
    history_limit: Type.Optional(Type.Integer({ minimum: 1 })),
    log_lines: Type.Optional(Type.Integer({ minimum: 1 })),
  })),
  backup: Type.Optional(Type.Object({
    files_cache_window_ms: Type.Optional(ms('ms')),
  })),
  rate_limits: Type.Optional(Type.Object({
    auth_failures_per_min: Type.Optional(count('0 = off')),
    reads_per_min: Type.Optional(count('0 = off')),
    writes_per_min: Type.Optional(count('0 = off')),
  })),
}, { additionalProperties: false });
export type ConfigInputJson = Static<typeof ConfigInput>;

export interface ListenAddress {
  host: string;
  /** 0 = any free port. */
  port: number;
}

/** What the daemon runs with: every value resolved, paths absolute, frozen. */
export interface Config {
  readonly state_dir: string;
  readonly socket: string;
  readonly socket_mode: number;
  readonly socket_group: string | number | null;
  /** null = no TCP listener. */
  readonly listen: Readonly<ListenAddress> | null;
  /** TCP requests without a token act as admin; refused unless `listen` is loopback. */
  readonly no_auth: boolean;
  readonly repository: string;
  readonly passphrase_file: string;
  readonly restore_root: string;
  readonly http: {
    readonly request_timeout_ms: number;
    readonly headers_timeout_ms: number;
    readonly keep_alive_timeout_ms: number;
    readonly connections_check_interval_ms: number;
    readonly body_limit: number;
  };
  readonly jobs: {
    readonly max_backups: number;
    readonly progress_interval_ms: number;
    readonly history_limit: number;
    readonly log_lines: number;
  };
  readonly backup: { readonly files_cache_window_ms: number };
  readonly rate_limits: {
    readonly auth_failures_per_min: number;
    readonly reads_per_min: number;
    readonly writes_per_min: number;
  };
  /** The file the values came from, or null when none was read. */
  readonly source: string | null;
}
