// daemon/access/access.ts — authentication and the permission check, run before routing
// for every request (API.md "Access"):
//   Unix socket: the peer's uid is root or the daemon's own → admin
//   otherwise:   `Authorization: Bearer <token>` equal to the admin token → admin
//   then:        the principal's role must allow the route's permission
// Missing or wrong credentials → 401 bad_auth; a role without the permission → 403.
import type { IncomingMessage } from 'node:http';
import type { Permission } from '../../shared/routes.js';
import { CairnError } from '../errors.js';
import { ensureAdminToken, tokensEqual } from './admin-token.js';
import { ADMIN_BY_PEER, ADMIN_BY_TOKEN, roleAllows, type Principal } from './principal.js';
import { peerUid, transportOf, type PeerCredFn } from './transport.js';

export interface AccessOptions {
  stateDir: string;
  /** The daemon's uid (default process.getuid()). */
  ownUid?: number;
  /** SO_PEERCRED reader (default native peerCred); tests may replace it. */
  peerCred?: PeerCredFn;
}

export class Access {
  readonly #adminToken: string;
  readonly #ownUid: number;
  readonly #peerCred: PeerCredFn | undefined;

  private constructor(adminToken: string, opts: AccessOptions) {
    this.#adminToken = adminToken;
    this.#ownUid = opts.ownUid ?? process.getuid?.() ?? -1;
    this.#peerCred = opts.peerCred;
  }

  /** Reads (or creates) `<state>/admin.token`. */
  static async open(opts: AccessOptions): Promise<Access> {
    return new Access(await ensureAdminToken(opts.stateDir), opts);
  }

  /** Who the request comes from: null when it carries no credentials. Throws 401
   *  bad_auth for credentials that are present but wrong. */
  authenticate(req: IncomingMessage): Principal | null {
    if (transportOf(req.socket) === 'unix') {
      const uid = peerUid(req.socket, this.#peerCred);
      if (uid !== null && (uid === 0 || uid === this.#ownUid)) return ADMIN_BY_PEER;
    }
    const header = req.headers.authorization;
    if (header === undefined) return null;
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!m) throw new CairnError('bad_auth', 'malformed Authorization header: expected "Bearer <token>"');
    if (tokensEqual(m[1]!, this.#adminToken)) return ADMIN_BY_TOKEN;
    throw new CairnError('bad_auth', 'invalid token');
  }

  /** The principal allowed to use a route of this permission; `public` routes admit
   *  anyone (the principal is null without credentials). */
  authorize(req: IncomingMessage, permission: Permission): Principal | null {
    if (permission === 'public') {
      try {
        return this.authenticate(req);
      } catch {
        return null;
      }
    }
    const principal = this.authenticate(req);
    if (!principal) {
      throw new CairnError('bad_auth', transportOf(req.socket) === 'unix'
        ? 'this user is not the daemon\'s: a token is required'
        : 'authentication required: send "Authorization: Bearer <token>"');
    }
    if (!roleAllows(principal.role, permission)) {
      throw new CairnError('forbidden', `the ${principal.role} role may not use this route`, { permission });
    }
    return principal;
  }
}
