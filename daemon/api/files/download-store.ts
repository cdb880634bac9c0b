// daemon/api/files/download-store.ts — prepared archive downloads (POST
// /api/snapshot/vfs/downloader), kept in memory only: each under a download id of 128
// random bits (hex), which is the download URL's credential. An id is valid for `ttlMs`
// (1 h), or for one download when single_use; an expired, used or unknown id is simply
// not found. At most `max` are kept: adding one more drops the expired ones, then the
// oldest. The clock is injected. Called by routes/files.ts.
import { randomBytes } from 'node:crypto';
import type { ArchiveFormat } from '../../restore/index.js';

export interface DownloadTicket {
  /** The registered repository's name. */
  repository: string;
  /** The snapshot (64 hex) and its root tree. */
  snapshot: string;
  root: Buffer;
  /** Absolute paths; empty = the whole snapshot. */
  paths: Buffer[];
  rebase: boolean;
  /** The format asked for at creation; `?format=` may override it. */
  format: ArchiveFormat | null;
  name: string | null;
  singleUse: boolean;
}

export interface DownloadStoreOptions {
  /** ms since the epoch. @default Date.now */
  now?: () => number;
  /** ms a download id stays valid. @default 1 h */
  ttlMs?: number;
  /** Download ids kept at most. @default 1024 */
  max?: number;
}

export class DownloadStore {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly max: number;
  /** In creation order (a Map keeps insertion order): the oldest first. */
  private readonly tickets = new Map<string, { ticket: DownloadTicket; expiresAt: number }>();

  constructor(o: DownloadStoreOptions = {}) {
    this.now = o.now ?? Date.now;
    this.ttlMs = o.ttlMs ?? 3_600_000;
    this.max = Math.max(1, o.max ?? 1024);
  }

  /** Keeps `ticket`; returns its download id and expiry (ms). */
  add(ticket: DownloadTicket): { id: string; expiresAt: number } {
    this.sweep();
    while (this.tickets.size >= this.max) this.tickets.delete(this.tickets.keys().next().value!);
    const id = randomBytes(16).toString('hex');
    const expiresAt = this.now() + this.ttlMs;
    this.tickets.set(id, { ticket, expiresAt });
    return { id, expiresAt };
  }

  /** The ticket of a valid id, consumed when single-use; null otherwise. `peek` never consumes. */
  take(id: string, peek = false): DownloadTicket | null {
    const e = this.tickets.get(id);
    if (!e) return null;
    if (e.expiresAt <= this.now()) {
      this.tickets.delete(id);
      return null;
    }
    if (e.ticket.singleUse && !peek) this.tickets.delete(id);
    return e.ticket;
  }

  get size(): number {
    return this.tickets.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, e] of this.tickets) if (e.expiresAt <= now) this.tickets.delete(id);
  }
}
