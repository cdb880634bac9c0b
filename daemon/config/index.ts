// daemon/config — the daemon's settings (DESIGN §4 "Defaults").
//   DEFAULTS (each value once, with its unit) → cairnd.json → CAIRN_* env → flags
//   → validated once (TypeBox; unknown keys named) → a frozen Config
// Paths default per shared/paths.ts (systemd *_DIRECTORY, XDG, ~). Called by main.ts
// (and on SIGHUP) and by tests; everything else receives the Config it needs.
export { DEFAULTS, RESTORE_ROOT_NAME, PASSPHRASE_NAME } from './defaults.js';
export { loadConfig, parseListen, CONFIG_ENV } from './load-config.js';
export type { ConfigFlags, LoadConfigOptions } from './load-config.js';
export { ConfigInput } from './schema.js';
export { isLoopbackHost, hostOf } from './loopback.js';
export type { Config, ConfigInputJson, ListenAddress } from './schema.js';
