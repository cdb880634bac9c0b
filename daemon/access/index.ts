// daemon/access — who may call what (API.md "Access"), first slice.
//   request → transport (Unix socket | TCP) → principal (socket peer uid = root or the
//   daemon's user → admin; else `Bearer` admin token, compared in constant time)
//   → role allows the route's permission (shared/routes.ts) → else 401 bad_auth / 403
// `<state>/admin.token` is created once (0600, atomic). API keys, roles other than
// admin, rate limits and signed URLs (issue 4) slot in as Principal {kind: 'key'}.
// Called by the API's onRequest hook and daemon.ts.
export { Access } from './access.js';
export type { AccessOptions } from './access.js';
export { ensureAdminToken, generateToken, tokensEqual, TOKEN_LENGTH } from './admin-token.js';
export { ROLE_PERMISSIONS, roleAllows, ADMIN_BY_PEER, ADMIN_BY_TOKEN } from './principal.js';
export type { Principal, Role } from './principal.js';
export { markTransport, transportOf, peerUid } from './transport.js';
export type { Transport, PeerCredFn } from './transport.js';
