// tui/cli/format.ts — how the CLI shows things to people: sizes in binary units (KiB,
// MiB… as restic), durations, local times, names made safe for a terminal, aligned
// tables and the one-line progress of a job. Pure.
import type { JobProgress } from '../../shared/schemas/index.js';

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `512 B`, `1.500 KiB`, `2.000 GiB` (binary units, three decimals, as restic). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0} B`;
  let v = n;
  let unit = -1;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${v.toFixed(3)} ${UNITS[unit]}`;
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** An RFC 3339 time as `YYYY-MM-DD HH:MM:SS` in local time; `-` when absent, the text
 *  itself when it is not a time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} `
    + `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Control characters (a name may hold any byte but `/` and NUL) shown as `?`. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Display width of a string, counting code points (wide characters are not measured). */
function width(s: string): number {
  return [...s].length;
}

export interface TableOptions {
  /** Columns aligned right (numbers). */
  right?: number[];
  /** A line of dashes under the header and after the rows. */
  rules?: boolean;
}

/** Rows aligned in columns two spaces apart; the last column is never padded. Returns lines. */
export function formatTable(header: string[] | null, rows: string[][], opts: TableOptions = {}): string[] {
  const all = header ? [header, ...rows] : rows;
  const cols = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(0, ...all.map((r) => width(r[i] ?? ''))));
  const right = new Set(opts.right ?? []);
  const line = (r: string[]): string => r.map((cell, i) => {
    const fill = ' '.repeat(widths[i]! - width(cell));
    if (right.has(i)) return fill + cell;
    return i === r.length - 1 ? cell : cell + fill;
  }).join('  ').trimEnd();
  const out: string[] = [];
  const total = widths.reduce((a, b) => a + b, 0) + 2 * Math.max(0, cols - 1);
  if (header) {
    out.push(line(header));
    if (opts.rules) out.push('-'.repeat(total));
  }
  for (const r of rows) out.push(line(r));
  if (header && opts.rules) out.push('-'.repeat(total));
  return out;
}

/** Cuts `s` to `max` columns from the left, marking the cut with `…`. */
export function truncateLeft(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 1) return max === 1 ? '…' : '';
  return '…' + chars.slice(chars.length - max + 1).join('');
}

/** One line of a job's progress, at most `columns` wide: stage, percent, files, bytes,
 *  rate, ETA, then the current file (cut from the left to fit). */
export function progressLine(p: JobProgress, columns: number, currentFile?: string | null): string {
  const parts: string[] = [];
  if (p.stage) parts.push(`[${p.stage}]`);
  if (p.percent !== null) parts.push(`${p.percent.toFixed(1)}%`);
  parts.push(p.files_total !== null ? `${p.files_done} / ${p.files_total} files` : `${p.files_done} files`);
  parts.push(p.bytes_total !== null ? `${formatBytes(p.bytes_done)} / ${formatBytes(p.bytes_total)}` : formatBytes(p.bytes_done));
  if (p.rate_bps !== null) parts.push(`${formatBytes(p.rate_bps)}/s`);
  if (p.eta_s !== null) parts.push(`ETA ${formatDuration(p.eta_s)}`);
  let line = parts.join('  ');
  if (width(line) > columns) return [...line].slice(0, Math.max(0, columns)).join('');
  if (currentFile) {
    const room = columns - width(line) - 2;
    if (room >= 8) line += '  ' + truncateLeft(printable(currentFile), room);
  }
  return line;
}
