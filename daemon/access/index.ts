// daemon/access — who may call what (API.md "Access").
//   request → transport (Unix socket | TCP) → TCP: auth-failure limit per address (429)
//   → principal: socket peer root / daemon's uid → admin; `Bearer` token → an API key
//     (keys.json, SHA-256 of the token, constant-time) or local-admin (admin.token);
//     a signed reader URL (url.key HMAC, expiry, single use) → the key that signed it;
//     `--no-auth` on TCP → admin
//   → TCP: read/write limit per key or address (429 + Retry-After)
//   → the role allows the route's permission (shared/routes.ts) → else 401 / 403
//   → after the answer: audit.log line for mutating requests and auth failures
// policy.ts: restore_root for non-admins and a key's `paths`, for the snapshot routes.
// The clock is injected (clockFromEnv: CAIRN_TEST_CLOCK_OFFSET_MS under CAIRN_TEST=1).
// Called by the API's hooks and routes (keys, reader-sign-url, snapshots) and daemon.ts.
export { Access, NO_RATE_LIMITS } from './access.js';
export type { AccessOptions, AnswerFacts, RateLimits, RequestFacts, SignReaderRequest } from './access.js';
export { ensureAdminToken, generateToken, tokensEqual, TOKEN_LENGTH } from './admin-token.js';
export { AuditLog, AUDIT_FILE } from './audit-log.js';
export type { AuditEntry } from './audit-log.js';
export { clockFromEnv, systemAccessClock } from './clock.js';
export type { AccessClock } from './clock.js';
export { KeyStore, KEYS_FILE, LAST_USED_FLUSH_MS, normalizeKeyPath } from './key-store.js';
export type { KeyView, NewKey } from './key-store.js';
export { NonceStore } from './nonce-store.js';
export { checkBackupSources, checkRestore, pathInside } from './policy.js';
export type { RestoreTarget } from './policy.js';
export {
  ROLES, ROLE_PERMISSIONS, LOCAL_ADMIN_ID, roleAllows, permissionsOf, isRole, ADMIN_BY_PEER, ADMIN_BY_TOKEN,
  ADMIN_BY_NO_AUTH,
} from './principal.js';
export type { Principal, Role } from './principal.js';
export { RateLimiter, retryAfterSeconds } from './rate-limiter.js';
export {
  UrlSigner, signatureOf, signedReaderUrl, parseSignedUrl, DEFAULT_URL_TTL_S, MAX_URL_TTL_S, URL_KEY_FILE,
} from './signed-url.js';
export type { SignedFields, SignedUrl } from './signed-url.js';
export { markTransport, transportOf, peerUid } from './transport.js';
export type { Transport, PeerCredFn } from './transport.js';
