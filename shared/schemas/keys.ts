// shared/schemas/keys.ts — access routes (API.md "Access" and "Files"): API keys (list,
// create, delete, rotate; a token is shown once) and the signed reader URL. Used by
// shared/routes.ts, the daemon's validation and the typed client (`cairn keys`).
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable } from './common.js';
import { KEY_ROLES } from '../vocabulary.js';
export { KEY_ROLES };

export const KeyRoleSchema = Type.Union(KEY_ROLES.map((r) => Type.Literal(r)));

export const KeySchema = Type.Object({
  id: Type.String({ description: '16 hex digits, or "local-admin" for $STATE/admin.token' }),
  name: Type.String(),
  role: KeyRoleSchema,
  permissions: Type.Array(Type.String(), { description: 'what the role allows (API.md\'s permission table)' }),
  paths: Type.Array(Type.String(), { description: 'allowed roots for backup and restore; empty = anywhere' }),
  created_at: Type.String({ description: 'RFC 3339 UTC' }),
  expires_at: Nullable(Type.String({ description: 'RFC 3339 UTC; null = never' })),
  last_used_at: Nullable(Type.String({ description: 'RFC 3339 UTC; recorded within a minute' })),
});
export type Key = Static<typeof KeySchema>;

export const KeyListSchema = ListOf(KeySchema);
export type KeyList = Static<typeof KeyListSchema>;

export const KeyCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: KeyRoleSchema,
  expires_at: Type.Optional(Nullable(Type.String({ description: 'RFC 3339, or ISO 8601 without offset (UTC); in the future' }))),
  paths: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100, description: 'absolute paths' })),
});
export type KeyCreateBodyJson = Static<typeof KeyCreateBody>;

/** create and rotate: the key and its token, which is never shown again. */
export const KeyWithTokenSchema = Type.Object({
  key: KeySchema,
  token: Type.String({ description: 'letters, digits and "-"; shown once' }),
});
export type KeyWithToken = Static<typeof KeyWithTokenSchema>;

/** delete: the key as it was. */
export const KeyDeletedSchema = Type.Object({ key: KeySchema });
export type KeyDeleted = Static<typeof KeyDeletedSchema>;

export const ReaderSignUrlBody = Type.Object({
  ttl: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400, default: 7_200, description: 'seconds the URL stays valid' })),
  single_use: Type.Optional(Type.Boolean({ default: false })),
});
export type ReaderSignUrlBodyJson = Static<typeof ReaderSignUrlBody>;

const SignedUrlFields = {
  url: Type.String({ description: 'path and query of the reader URL, relative to the daemon\'s address' }),
  expires_at: Type.String({ description: 'RFC 3339 UTC' }),
};

export const SignedUrlSchema = Type.Object({
  item: Type.Object({ signature: Type.String({ description: 'hex HMAC-SHA256' }), ...SignedUrlFields }),
  ...SignedUrlFields,
});
export type SignedUrlResult = Static<typeof SignedUrlSchema>;
