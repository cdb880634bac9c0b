// daemon/jobs/progress.ts — turns an engine's progress counters into API.md's job
// progress (percent, rate, eta). Pure.
import type { JobProgress } from '../../shared/schemas/index.js';

/** What an engine reports through `onProgress`; omitted fields keep their last value. */
export interface JobProgressUpdate {
  stage?: string | null;
  files_done?: number;
  files_total?: number | null;
  bytes_done?: number;
  bytes_total?: number | null;
  current_file?: string | null;
}

export function emptyProgress(): JobProgress {
  return {
    stage: null, percent: null, files_done: 0, files_total: null, bytes_done: 0, bytes_total: null,
    rate_bps: null, eta_s: null,
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Merges `update` into `prev`; `elapsedMs` is the time since the job started running. */
export function nextProgress(prev: JobProgress, update: JobProgressUpdate, elapsedMs: number): JobProgress {
  const p: JobProgress = { ...prev };
  if (update.stage !== undefined) p.stage = update.stage;
  if (update.current_file !== undefined) p.current_file = update.current_file;
  if (update.files_done !== undefined) p.files_done = Math.max(0, Math.floor(update.files_done));
  if (update.files_total !== undefined) p.files_total = update.files_total === null ? null : Math.max(0, Math.floor(update.files_total));
  if (update.bytes_done !== undefined) p.bytes_done = Math.max(0, Math.floor(update.bytes_done));
  if (update.bytes_total !== undefined) p.bytes_total = update.bytes_total === null ? null : Math.max(0, Math.floor(update.bytes_total));

  if (p.bytes_total !== null && p.bytes_total > 0) p.percent = round2(Math.min(100, (p.bytes_done / p.bytes_total) * 100));
  else if (p.files_total !== null && p.files_total > 0) p.percent = round2(Math.min(100, (p.files_done / p.files_total) * 100));
  else p.percent = null;

  p.rate_bps = elapsedMs > 0 ? Math.round(p.bytes_done / (elapsedMs / 1000)) : null;
  p.eta_s = p.rate_bps !== null && p.rate_bps > 0 && p.bytes_total !== null
    ? Math.max(0, Math.round((p.bytes_total - p.bytes_done) / p.rate_bps)) : null;
  return p;
}

/** Progress of a job that ended successfully: complete. */
export function finalProgress(p: JobProgress): JobProgress {
  return { ...p, percent: 100, eta_s: 0 };
}
