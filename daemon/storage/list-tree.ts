// daemon/storage/list-tree.ts — Storage.list for a local directory: streams names directory by
// directory (opendir), so listing a repository never builds an array of all its files.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageEntry } from './types.js';

const TMP = 'tmp';

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Every file under `root` whose relative name starts with `prefix`, streamed directory by
 *  directory (opendir); descends only into directories that can hold such names; skips
 *  tmp/ unless the prefix is inside it. */
export async function* listTree(root: string, prefix: string): AsyncGenerator<StorageEntry> {
  const withTmp = prefix.startsWith(`${TMP}/`);
  const slash = prefix.lastIndexOf('/');
  const start = slash >= 0 ? prefix.slice(0, slash) : '';

  async function* walk(rel: string): AsyncGenerator<StorageEntry> {
    let dir;
    try {
      dir = await opendir(rel === '' ? root : join(root, rel));
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw e;
    }
    for await (const ent of dir) {
      const name = rel === '' ? ent.name : `${rel}/${ent.name}`;
      if (name === TMP && !withTmp) continue;
      if (ent.isFile() && !name.startsWith(prefix)) continue;
      let isDir = ent.isDirectory();
      let size = -1;
      if (!isDir) {
        // Needed for the size anyway; also classifies entries of unknown type.
        const st = await lstat(join(root, name)).catch((e: unknown) => {
          if (errnoOf(e) === 'ENOENT') return null; // removed meanwhile
          throw e;
        });
        if (!st) continue;
        isDir = st.isDirectory();
        if (st.isFile()) size = st.size;
      }
      if (isDir) {
        const asDir = `${name}/`;
        if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) yield* walk(name);
      } else if (size >= 0 && name.startsWith(prefix)) {
        yield { name, size };
      }
    }
  }
  yield* walk(start);
}
