// daemon/backup/progress.ts — backup progress as the engine reports it: counts and bytes
// done against what the scan has found so far (totals are final once the scan ends),
// rate and ETA. `emit` throttles to one call per interval (250 ms by default).

export interface BackupProgress {
  stage: 'scanning' | 'backing up' | 'committing';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  scanDone: boolean;
  rateBps: number;
  etaS: number | null;
  percent: number | null;
  currentFile: string | null;
}

export class ProgressTracker {
  filesDone = 0;
  filesTotal = 0;
  bytesDone = 0;
  bytesTotal = 0;
  scanDone = false;
  currentFile: Buffer | null = null;
  stage: BackupProgress['stage'] = 'scanning';
  private last = 0;
  private readonly started: number;

  constructor(private readonly onProgress: ((p: BackupProgress) => void) | undefined,
    private readonly intervalMs = 250, private readonly now: () => number = Date.now) {
    this.started = now();
  }

  snapshot(): BackupProgress {
    const elapsed = Math.max(1, this.now() - this.started) / 1000;
    const rate = this.bytesDone / elapsed;
    const left = this.bytesTotal - this.bytesDone;
    return {
      stage: this.stage,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      scanDone: this.scanDone,
      rateBps: Math.round(rate),
      etaS: this.scanDone && rate > 0 ? Math.round(left / rate) : null,
      percent: this.scanDone && this.bytesTotal > 0 ? Math.min(100, (100 * this.bytesDone) / this.bytesTotal) : (this.scanDone ? 100 : null),
      currentFile: this.currentFile ? this.currentFile.toString('utf8') : null,
    };
  }

  /** Calls onProgress at most once per interval (always when `force`); never throws. */
  emit(force = false): void {
    if (!this.onProgress) return;
    const t = this.now();
    if (!force && t - this.last < this.intervalMs) return;
    this.last = t;
    try {
      this.onProgress(this.snapshot());
    } catch {
      // a progress listener must not break the backup
    }
  }
}
