// daemon/access/access.ts — authentication, rate limits and the permission check, run
// before routing for every request (API.md "Access"), and the audit of each answer:
//   TCP: address over its auth-failure limit → 429
//   who: Unix peer root or the daemon's uid → admin; `Bearer` token → its key (or
//        local-admin); a signed reader URL → the key that signed it; `--no-auth` on TCP
//        without a token → admin; else nobody (→ 401 unless the route is public)
//   TCP: the key's (or, without a token, the address's) read or write limit → 429
//   the principal's role must allow the route's permission → else 403
// A wrong, malformed or expired credential is 401 bad_auth and counts against the
// address's auth-failure limit. Mutating requests and refusals (401, and 403 from the
// permission check) go to the audit log.
// Time comes from the injected clock. Called by the API's hooks and daemon.ts.
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Permission } from '../../shared/routes.js';
import { CairnError, isCairnError } from '../errors.js';
import { AuditLog } from './audit-log.js';
import { systemAccessClock, type AccessClock } from './clock.js';
import { KeyStore } from './key-store.js';
import {
  ADMIN_BY_NO_AUTH, LOCAL_ADMIN_ID, roleAllows, type Principal,
} from './principal.js';
import { RateLimiter, retryAfterSeconds } from './rate-limiter.js';
import { hasSignature, parseSignedUrl, UrlSigner, type SignedUrl, type SignRequest } from './signed-url.js';
import { peerUid, transportOf, type PeerCredFn } from './transport.js';

/** Per minute; 0 turns a limit off (config `rate_limits`). */
export interface RateLimits {
  auth_failures_per_min: number;
  reads_per_min: number;
  writes_per_min: number;
}

export const NO_RATE_LIMITS: RateLimits = Object.freeze({ auth_failures_per_min: 0, reads_per_min: 0, writes_per_min: 0 });

export interface AccessOptions {
  stateDir: string;
  /** The daemon's uid (default process.getuid()). */
  ownUid?: number;
  /** SO_PEERCRED reader (default native peerCred); tests may replace it. */
  peerCred?: PeerCredFn;
  /** Time for expiry and rate limits (default the system clock). */
  clock?: AccessClock;
  /** TCP rate limits (default all off). */
  rateLimits?: RateLimits;
  /** `--no-auth`: TCP requests without a token act as admin. */
  noAuth?: boolean;
  /** Created (0700) at open when given: non-admins restore only below it. */
  restoreRoot?: string;
  /** A registered repository's id by name (undefined = the default), null when unknown:
   *  signed URLs bind the repository. Without it, no signed URL verifies. */
  repositoryId?: (name: string | undefined) => string | null;
}

/** What the API knows about a request before routing. */
export interface RequestFacts {
  permission: Permission;
  /** shared/routes.ts key, or null for an unknown URL */
  routeKey: string | null;
  /** The request target as received (before fastify's rewriteUrl). */
  originalUrl: string;
}

/** The answer to a request, for the audit log. */
export interface AnswerFacts {
  method: string;
  routeKey: string | null;
  originalUrl: string;
  status: number;
  principal: Principal | null;
}

/** What a signed reader URL names (the signing key is the caller's). */
export type SignReaderRequest = Omit<SignRequest, 'keyId'>;

const READ_METHODS = new Set(['GET', 'HEAD']);

function rateLimited(waitMs: number, message: string): CairnError {
  return new CairnError('rate-limited', message, { retry_after: retryAfterSeconds(waitMs) });
}

export class Access {
  readonly keys: KeyStore;
  readonly #ownUid: number;
  readonly #peerCred: PeerCredFn | undefined;
  readonly #limits: RateLimits;
  readonly #limiter: RateLimiter;
  readonly #noAuth: boolean;
  readonly #signer: UrlSigner;
  readonly #audit: AuditLog;
  readonly #repositoryId: ((name: string | undefined) => string | null) | undefined;
  readonly #clock: AccessClock;
  /** Why authentication or the permission check failed, for the audit line. */
  readonly #failures = new WeakMap<IncomingMessage, string>();
  /** Who a refused request came from (a 403 or 429 has no principal downstream). */
  readonly #identified = new WeakMap<IncomingMessage, Principal>();

  private constructor(opts: AccessOptions, parts: { keys: KeyStore; signer: UrlSigner; audit: AuditLog; clock: AccessClock }) {
    this.keys = parts.keys;
    this.#signer = parts.signer;
    this.#audit = parts.audit;
    this.#ownUid = opts.ownUid ?? process.getuid?.() ?? -1;
    this.#peerCred = opts.peerCred;
    this.#limits = { ...(opts.rateLimits ?? NO_RATE_LIMITS) };
    this.#limiter = new RateLimiter(parts.clock);
    this.#noAuth = opts.noAuth === true;
    this.#repositoryId = opts.repositoryId;
    this.#clock = parts.clock;
  }

  /** Loads the keys (creating `admin.token` when no admin key is left), the URL key and
   *  the audit log; creates restore_root. */
  static async open(opts: AccessOptions): Promise<Access> {
    const clock = opts.clock ?? systemAccessClock;
    await mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
    if (opts.restoreRoot) await mkdir(opts.restoreRoot, { recursive: true, mode: 0o700 });
    const keys = await KeyStore.open(opts.stateDir, clock);
    const signer = await UrlSigner.open(opts.stateDir, clock);
    const audit = await AuditLog.open(opts.stateDir);
    return new Access(opts, { keys, signer, audit, clock });
  }

  /** The principal of a request allowed to reach its route (null: a public route without
   *  credentials). Throws 401 bad_auth, 403 forbidden or 429 rate-limited. */
  async admit(req: IncomingMessage, facts: RequestFacts): Promise<Principal | null> {
    const tcp = transportOf(req.socket) === 'tcp';
    const address = tcp ? req.socket.remoteAddress ?? 'unknown' : 'unix';
    const limits = this.#limits;
    if (tcp && limits.auth_failures_per_min > 0) {
      const wait = this.#limiter.wait(`fail:${address}`, limits.auth_failures_per_min);
      if (wait > 0) throw rateLimited(wait, 'too many authentication failures from this address: try again later');
    }
    let principal: Principal | null;
    try {
      principal = await this.#identify(req, facts, tcp);
      if (!principal && facts.permission !== 'public') {
        throw new CairnError('bad_auth', tcp
          ? 'authentication required: send "Authorization: Bearer <token>"'
          : 'this user is not the daemon\'s: a token is required');
      }
    } catch (e) {
      if (!isCairnError(e) || e.code !== 'bad_auth') throw e;
      if (facts.permission === 'public') {
        principal = null; // a public route ignores bad credentials
      } else {
        this.#failures.set(req, e.message);
        if (tcp) this.#limiter.take(`fail:${address}`, limits.auth_failures_per_min);
        throw e;
      }
    }
    if (principal) this.#identified.set(req, principal);
    if (tcp) {
      const write = !READ_METHODS.has(req.method ?? 'GET');
      const perMin = write ? limits.writes_per_min : limits.reads_per_min;
      const who = principal?.via === 'token' ? `key:${principal.keyId}` : `addr:${address}`;
      const wait = this.#limiter.take(`${write ? 'w' : 'r'}:${who}`, perMin);
      if (wait > 0) throw rateLimited(wait, `too many ${write ? 'writes' : 'reads'}: try again later`);
    }
    if (principal && !roleAllows(principal.role, facts.permission)) {
      const message = `the ${principal.role} role may not use this route`;
      this.#failures.set(req, message);
      throw new CairnError('forbidden', message, { permission: facts.permission });
    }
    return principal;
  }

  /** Who the request comes from, or null without credentials; 401 for bad ones. */
  async #identify(req: IncomingMessage, facts: RequestFacts, tcp: boolean): Promise<Principal | null> {
    const uid = tcp ? null : peerUid(req.socket, this.#peerCred);
    if (uid !== null && (uid === 0 || uid === this.#ownUid)) return { kind: 'admin', role: 'admin', via: 'peer', uid };
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
      if (!m) throw new CairnError('bad_auth', 'malformed Authorization header: expected "Bearer <token>"');
      const p = this.keys.authenticate(m[1]!);
      return uid === null ? p : { ...p, uid };
    }
    if (facts.routeKey === 'snapshot.reader' && hasSignature(facts.originalUrl)) {
      return this.#verifySigned(facts.originalUrl);
    }
    if (tcp && this.#noAuth) return ADMIN_BY_NO_AUTH;
    return null;
  }

  async #verifySigned(originalUrl: string): Promise<Principal> {
    const s = parseSignedUrl(originalUrl);
    const repositoryId = this.#repositoryId?.(s.repository) ?? null;
    if (repositoryId === null) throw new CairnError('bad_auth', 'signed URL: unknown repository');
    await this.#signer.verify(s, repositoryId, (keyId) => this.keys.activePrincipal(keyId, 'signature') !== null);
    const p = this.keys.activePrincipal(s.fields.keyId, 'signature');
    if (!p) throw new CairnError('bad_auth', 'the key that signed this URL was deleted or has expired');
    return p;
  }

  /** A signed reader URL for `principal` (its key signs; socket admins sign as
   *  local-admin). 409 when that key no longer exists. */
  signReaderUrl(principal: Principal, r: SignReaderRequest): SignedUrl {
    const keyId = principal.keyId ?? LOCAL_ADMIN_ID;
    if (!this.keys.activePrincipal(keyId, 'token')) {
      throw new CairnError('conflict', 'no key to sign with: socket admins sign as local-admin, which was deleted');
    }
    return this.#signer.sign({ ...r, keyId });
  }

  /** Audits an answered request: every mutating one, and every one refused by
   *  authentication (401) or by the permission check (403). */
  recordAnswer(req: IncomingMessage, a: AnswerFacts): void {
    const failure = a.status === 401 || a.status === 403 ? this.#failures.get(req) ?? (a.status === 401 ? 'authentication failed' : null) : null;
    if (failure === null && READ_METHODS.has(a.method)) return;
    const tcp = transportOf(req.socket) === 'tcp';
    const uid = tcp ? null : peerUid(req.socket, this.#peerCred);
    const p = a.principal ?? this.#identified.get(req) ?? null;
    const q = a.originalUrl.indexOf('?');
    this.#audit.write({
      time: new Date(this.#clock.now()).toISOString(),
      event: failure === null ? 'request' : 'auth_failure',
      method: a.method,
      route: a.routeKey,
      path: q < 0 ? a.originalUrl : a.originalUrl.slice(0, q),
      status: a.status,
      principal: p ? { kind: p.kind, role: p.role, key_id: p.keyId ?? null, via: p.via, uid: p.uid ?? null } : null,
      uid,
      remote: tcp ? req.socket.remoteAddress ?? 'unknown' : 'unix',
      ...(failure !== null ? { reason: failure } : {}),
    });
  }

  /** Writes pending key usage and closes the audit log. */
  async close(): Promise<void> {
    await this.keys.close();
    await this.#audit.close();
  }
}
