// daemon/api/routes/signed-urls.ts — POST /api/snapshot/reader-sign-url/{id}:{path}
// (API.md "Files"): resolves the reference to the snapshot's full id and the path to its
// canonical bytes (404 when absent), then has the caller's key sign a reader URL valid
// `ttl` seconds (default 2 h), optionally for one use → `{item:{signature, url,
// expires_at}, url, expires_at}`. The URL is relative to the daemon's address and names
// `?repository=` when the request did. Verification is the access layer's (auth hook).
// Registered by daemon.ts.
import type { SignedUrlResult } from '../../../shared/schemas/index.js';
import type { SnapshotSelector } from '../../../shared/snapshot-ref.js';
import type { Access } from '../../access/index.js';
import { CairnError } from '../../errors.js';
import type { Registry } from '../../repository/index.js';
import { lookupPath, resolveSnapshot } from '../../snapshot/index.js';
import { principalOf } from '../create-api.js';
import { snapshotRefOf } from '../snapshot-url.js';
import type { Handlers } from '../types.js';
import { repoOf } from './repositories.js';

export interface SignedUrlDeps {
  registry: Registry;
  access: Pick<Access, 'signReaderUrl'>;
}

const selectorText = (s: SnapshotSelector): string => (s.kind === 'latest' ? 'latest' : s.kind === 'id' ? s.id : s.prefix);

export function signedUrlHandlers(d: SignedUrlDeps): Handlers {
  return {
    'snapshot.readerSignUrl': async (request): Promise<SignedUrlResult> => {
      const ref = snapshotRefOf(request);
      const { repo, name } = repoOf(d.registry, request.query);
      const snap = resolveSnapshot(repo, selectorText(ref.snapshot));
      if (!snap.row.root) throw new CairnError('unprocessable', 'the snapshot object is damaged', { id: snap.hex });
      const located = await lookupPath(repo, Buffer.from(snap.row.root), ref.path);
      const principal = principalOf(request);
      if (!principal) throw new CairnError('bad_auth', 'authentication required');
      const named = request.query.repository !== undefined && request.query.repository !== '';
      const s = d.access.signReaderUrl(principal, {
        repositoryId: repo.id, ...(named ? { repositoryName: name } : {}), snapshotId: snap.hex, path: located.path,
        ...(request.body.ttl !== undefined ? { ttl: request.body.ttl } : {}), singleUse: request.body.single_use === true,
      });
      return { item: s, url: s.url, expires_at: s.expires_at };
    },
  };
}
