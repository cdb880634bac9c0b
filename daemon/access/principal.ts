// daemon/access/principal.ts — who is calling and what each role may do (API.md
// "Access", the permission table). Issue 3 has only the admin principal (socket peer or
// admin token); issue 4's keys arrive as `kind: 'key'` with their role.
import type { Permission } from '../../shared/routes.js';

export type Role = 'admin' | 'operator' | 'reader' | 'appender';

export interface Principal {
  kind: 'admin' | 'key';
  role: Role;
  /** The API key's id (kind 'key'). */
  keyId?: string;
  /** How the caller proved it: a Unix socket peer's uid, or a bearer token. */
  via: 'peer' | 'token';
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

export const ADMIN_BY_PEER: Principal = Object.freeze({ kind: 'admin', role: 'admin', via: 'peer' });
export const ADMIN_BY_TOKEN: Principal = Object.freeze({ kind: 'admin', role: 'admin', via: 'token' });
