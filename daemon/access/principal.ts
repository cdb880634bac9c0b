// daemon/access/principal.ts — who is calling and what each role may do (API.md
// "Access", the permission table). Admins are the socket peers root and the daemon's own
// user, the `local-admin` token (`$STATE/admin.token`) and, with `--no-auth`, anyone on
// TCP without a token; every other caller is an API key (`kind: 'key'`) with its role and
// optional `paths`. Used by access.ts, policy.ts and the API (principalOf).
import type { Permission } from '../../shared/routes.js';

export type Role = 'admin' | 'operator' | 'reader' | 'appender';
export const ROLES: readonly Role[] = ['admin', 'operator', 'reader', 'appender'];

/** The key id under which `$STATE/admin.token` appears in the key list. */
export const LOCAL_ADMIN_ID = 'local-admin';

export interface Principal {
  kind: 'admin' | 'key';
  role: Role;
  /** The API key's id (kind 'key'; `local-admin` for the admin token). */
  keyId?: string;
  /** How the caller proved it: the Unix socket peer's uid, a bearer token, a signed
   *  reader URL, or nothing (`--no-auth` on TCP). */
  via: 'peer' | 'token' | 'signature' | 'no-auth';
  /** The socket peer's uid (via 'peer', and any request on the Unix socket when known). */
  uid?: number;
  /** Allowed roots for backup sources and restores; empty = anywhere (API.md "Access"). */
  paths?: readonly string[];
}

/** API.md's permission table. `appender` sees only its own jobs and events (checked by those routes). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set<Permission>(['meta', 'list', 'browse', 'read', 'backup', 'check', 'restore', 'jobs', 'admin', 'public']),
  operator: new Set<Permission>(['meta', 'list', 'browse', 'read', 'backup', 'check', 'restore', 'jobs', 'public']),
  reader: new Set<Permission>(['meta', 'list', 'browse', 'read', 'public']),
  appender: new Set<Permission>(['meta', 'list', 'backup', 'jobs', 'public']),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** A role's permissions as a key shows them (API.md's table order, without `public`). */
export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]].filter((p) => p !== 'public');
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

export const ADMIN_BY_PEER: Principal = Object.freeze({ kind: 'admin', role: 'admin', via: 'peer' });
export const ADMIN_BY_TOKEN: Principal = Object.freeze({ kind: 'admin', role: 'admin', keyId: LOCAL_ADMIN_ID, via: 'token' });
export const ADMIN_BY_NO_AUTH: Principal = Object.freeze({ kind: 'admin', role: 'admin', via: 'no-auth' });
