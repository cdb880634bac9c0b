// tui/cli/progress-bar.ts — the one-line progress of a job on a terminal (stderr):
// redrawn at most every 250 ms, the latest state drawn when the interval ends; log lines
// are written above it. Only for terminals: callers create it when stderr is a TTY.
import type { Job } from '../../shared/schemas/index.js';
import { progressLine } from './format.js';

export interface TerminalOut {
  write(s: string): unknown;
  columns?: number;
}

/** The daemon's progress may carry the file it is reading; the shared schema does not
 *  name it, so accept the usual spellings. */
function currentFileOf(job: Job): string | null {
  const p = job.progress as Record<string, unknown>;
  const v = p.current_file ?? p.currentFile ?? p.current;
  return typeof v === 'string' && v !== '' ? v : null;
}

export class ProgressBar {
  private lastDraw = -Infinity;
  private latest: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private shown = false;

  constructor(private readonly out: TerminalOut, private readonly intervalMs = 250,
    private readonly now: () => number = Date.now) {}

  /** Shows `job`'s progress now, or when the current interval ends. Never throws. */
  update(job: Job): void {
    this.latest = job;
    const wait = this.lastDraw + this.intervalMs - this.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.draw();
      }, wait);
      this.timer.unref();
    }
  }

  /** Writes a whole line above the bar and redraws the bar under it. */
  log(line: string): void {
    this.erase();
    this.out.write(line + '\n');
    if (this.latest) this.render(this.latest);
  }

  /** Removes the bar; nothing is drawn after this until the next update. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.erase();
  }

  private draw(): void {
    if (!this.latest) return;
    this.lastDraw = this.now();
    this.render(this.latest);
  }

  private render(job: Job): void {
    const columns = Math.max(20, (this.out.columns ?? 80) - 1);
    this.out.write('\r' + progressLine(job.progress, columns, currentFileOf(job)) + '\x1b[K');
    this.shown = true;
  }

  private erase(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
