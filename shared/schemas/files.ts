// shared/schemas/files.ts — the Files routes of API.md: the reader's, cat's and digest's
// queries, the digest answer, and the downloader's body, answer and archive query.
// Used by shared/routes.ts (validation, OpenAPI) and the typed client.
import { Type, type Static } from '@sinclair/typebox';
import { RepositoryQuery } from './common.js';
import { DIGEST_ALGORITHMS } from '../vocabulary.js';
export { DIGEST_ALGORITHMS };

export const RENDER_MODES = ['code', 'text', 'text_styled', 'auto', 'highlight'] as const;
export type RenderMode = (typeof RENDER_MODES)[number];

export const ReaderQuery = Type.Object({
  ...RepositoryQuery.properties,
  download: Type.Optional(Type.Boolean({ description: 'adds Content-Disposition: attachment' })),
  render: Type.Optional(Type.Union(RENDER_MODES.map((m) => Type.Literal(m)), {
    description: 'an HTML page instead of the bytes: code (highlighted; `highlight` is Plakar\'s name), text, text_styled, or auto (code when the name tells the language)',
  })),
  signature: Type.Optional(Type.String({ description: 'a signed URL\'s signature, instead of a token' })),
});
export type ReaderQueryJson = Static<typeof ReaderQuery>;

export const CatQuery = Type.Object({
  ...RepositoryQuery.properties,
  decompress: Type.Optional(Type.Boolean({ description: 'gunzip a .gz, unzstd a .zst' })),
  highlight: Type.Optional(Type.Boolean({ description: 'ANSI colours for a terminal' })),
});
export type CatQueryJson = Static<typeof CatQuery>;

export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

export const DigestQuery = Type.Object({
  ...RepositoryQuery.properties,
  algorithm: Type.Optional(Type.Union(DIGEST_ALGORITHMS.map((a) => Type.Literal(a)), { default: 'SHA256', description: 'BLAKE2B is BLAKE2b-512' })),
});
export type DigestQueryJson = Static<typeof DigestQuery>;

export const DigestSchema = Type.Object({
  path: Type.String(),
  algorithm: Type.Union(DIGEST_ALGORITHMS.map((a) => Type.Literal(a))),
  digest: Type.String({ description: 'lowercase hex' }),
  size: Type.Integer({ minimum: 0 }),
});
export type Digest = Static<typeof DigestSchema>;

/** `tarball` is Plakar's name for tar.gz. */
export const DOWNLOAD_FORMATS = ['zip', 'tar', 'tar.gz', 'tarball', 'tar.zst'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];
const FormatSchema = Type.Union(DOWNLOAD_FORMATS.map((f) => Type.Literal(f)));

export const DownloaderBody = Type.Object({
  files: Type.Optional(Type.Array(Type.String(), { maxItems: 1000, description: 'absolute paths in the snapshot; none = all of it' })),
  items: Type.Optional(Type.Array(Type.Object({ pathname: Type.String() }), { maxItems: 1000, description: 'Plakar\'s form of `files`' })),
  format: Type.Optional(FormatSchema),
  rebase: Type.Optional(Type.Boolean({ default: true, description: 'each path\'s contents (a file by its name) at the top of the archive' })),
  single_use: Type.Optional(Type.Boolean({ default: false })),
  name: Type.Optional(Type.String({ maxLength: 255, description: 'the archive\'s file name' })),
});
export type DownloaderBodyJson = Static<typeof DownloaderBody>;

export const DownloaderResultSchema = Type.Object({
  id: Type.String({ description: '= download_id (Plakar\'s field)' }),
  download_id: Type.String({ description: '128 random bits, hex: the credential of the download URL' }),
  download_url: Type.String({ description: 'path of the download, relative to the daemon' }),
});
export type DownloaderResult = Static<typeof DownloaderResultSchema>;

export const DownloadParams = Type.Object({ download_id: Type.String({ minLength: 1, maxLength: 128 }) });

export const DownloadQuery = Type.Object({
  format: Type.Optional(FormatSchema),
  name: Type.Optional(Type.String({ maxLength: 255, description: 'the archive\'s file name (the extension is added when missing)' })),
});
export type DownloadQueryJson = Static<typeof DownloadQuery>;
