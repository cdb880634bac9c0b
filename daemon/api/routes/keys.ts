// daemon/api/routes/keys.ts — the API keys (API.md "Access"): list (local-admin first),
// create `{name, role, expires_at?, paths?}` → `{key, token}`, delete → `{key}`, rotate →
// `{key, token}`. A token is in the answer of create and rotate only; the store keeps its
// hash. All admin-only (the route table's permission). Registered by daemon.ts.
import type { KeyList } from '../../../shared/schemas/index.js';
import type { Access } from '../../access/index.js';
import type { Handlers } from '../types.js';
import { parseTime } from './time.js';

export function keyHandlers(access: Pick<Access, 'keys'>): Handlers {
  return {
    'keys.list': async (): Promise<KeyList> => {
      const items = access.keys.list();
      return { total: items.length, items };
    },
    'keys.create': async (request) => {
      const b = request.body;
      const expiresAt = b.expires_at === undefined || b.expires_at === null ? null : parseTime(b.expires_at, 'expires_at');
      return access.keys.create({ name: b.name, role: b.role, expiresAt, paths: b.paths ?? [] });
    },
    'keys.delete': async (request) => ({ key: await access.keys.delete(request.params.id) }),
    'keys.rotate': async (request) => access.keys.rotate(request.params.id),
  };
}
