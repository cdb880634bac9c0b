// daemon/access/policy.ts — where a principal may back up from and restore to (API.md
// "Access"): non-admins restore only under `restore_root`; a key's `paths` are the
// allowed roots of its backup sources, of the snapshot paths it restores and (for an
// admin key) of its restore destination (or `restore_root`). Paths are compared after
// resolving symlinks in the part that exists, so a link inside an allowed root cannot
// lead out of it. 403 forbidden otherwise. A malformed path is left to the route's own
// validation (400). Called by the snapshot routes (create, restore).
import { readlink, realpath } from 'node:fs/promises';
import { posix } from 'node:path';
import { CairnError } from '../errors.js';
import type { Principal } from './principal.js';

/** Whether `child` is `parent` or below it (both normalized, absolute). */
export function pathInside(child: string, parent: string): boolean {
  return child === parent || parent === '/' || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

const wellFormed = (p: unknown): p is string => typeof p === 'string' && p.startsWith('/') && !p.includes('\0');
const clean = (p: string): string => posix.normalize(p).replace(/(.)\/+$/, '$1');

/** `p` with symlinks resolved in its longest existing prefix; the rest appended as is. A
 *  dangling symlink is followed to where it points (it may be created later). */
export async function resolveExisting(p: string, depth = 0): Promise<string> {
  if (depth > 40) throw new CairnError('forbidden', 'too many levels of symbolic links');
  const parts: string[] = [];
  let cur = clean(p);
  for (;;) {
    try {
      const real = await realpath(cur);
      return parts.length === 0 ? real : posix.join(real, ...parts.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new CairnError('forbidden', 'too many levels of symbolic links');
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || cur === '/') return clean(p);
      const dangling = await readlink(cur).catch(() => null);
      if (dangling !== null) {
        const target = posix.resolve(posix.dirname(cur), dangling);
        return resolveExisting(posix.join(target, ...parts.reverse()), depth + 1);
      }
      parts.push(posix.basename(cur));
      cur = posix.dirname(cur);
    }
  }
}

/** The directory part resolved, the last component kept (what lstat of a backup source sees). */
async function resolveParent(p: string): Promise<string> {
  const c = clean(p);
  if (c === '/') return c;
  return posix.join(await resolveExisting(posix.dirname(c)), posix.basename(c));
}

function forbidden(field: string, message: string): CairnError {
  return new CairnError('forbidden', message, { [field]: { code: 'invalid_argument', message } });
}

async function insideAny(p: string, roots: readonly string[]): Promise<boolean> {
  for (const r of roots) if (pathInside(p, await resolveExisting(r))) return true;
  return false;
}

/** Throws 403 unless `principal` may back up every one of `sources`. */
export async function checkBackupSources(principal: Principal | null, sources: readonly string[]): Promise<void> {
  if (!principal) throw new CairnError('forbidden', 'no principal');
  const roots = principal.paths ?? [];
  if (roots.length === 0) return;
  for (const s of sources) {
    if (!wellFormed(s)) continue;
    if (!(await insideAny(await resolveParent(s), roots))) {
      throw forbidden('source', 'this key may back up only below its paths');
    }
  }
}

export interface RestoreTarget {
  /** As sent: an absolute path on the daemon's host */
  destination: unknown;
  /** The snapshot paths restored, as sent; empty = the whole snapshot (`/`) */
  paths: readonly unknown[];
  restoreRoot: string;
}

/** Throws 403 unless `principal` may restore these paths to this destination. */
export async function checkRestore(principal: Principal | null, t: RestoreTarget): Promise<void> {
  if (!principal) throw new CairnError('forbidden', 'no principal');
  if (!wellFormed(t.destination)) return;
  const destination = await resolveExisting(t.destination);
  const inRoot = pathInside(destination, await resolveExisting(t.restoreRoot));
  if (principal.role !== 'admin' && !inRoot) {
    throw forbidden('destination', 'only an admin may restore outside the daemon\'s restore_root');
  }
  const roots = principal.paths ?? [];
  if (roots.length === 0) return;
  const selected = t.paths.length === 0 ? ['/'] : t.paths;
  for (const p of selected) {
    if (typeof p !== 'string' || p.includes('\0')) continue;
    if (!roots.some((r) => pathInside(clean(p.startsWith('/') ? p : `/${p}`), r))) {
      throw forbidden('paths', 'this key may restore only paths below its paths');
    }
  }
  if (!inRoot && !(await insideAny(destination, roots))) {
    throw forbidden('destination', 'this key may restore only below its paths or the restore_root');
  }
}
