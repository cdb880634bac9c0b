// daemon/api/files/http-range.ts — a `Range` request header against a file's size
// (RFC 9110 §14): one `bytes=` range is served as 206; a header with several ranges, a
// unit other than bytes, or bad syntax is ignored (the whole file, 200, which the RFC
// allows); a well-formed range that selects nothing is 416. Pure; used by the reader route.

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number } // [start, end)
  | { kind: 'unsatisfiable' };

const ONE = /^bytes=(\d*)-(\d*)$/i;

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const m = ONE.exec(header.trim().replace(/\s+/g, ''));
  if (!m) return { kind: 'whole' };
  const [, a, b] = m;
  if (a === '' && b === '') return { kind: 'whole' };
  if (a === '') {
    // suffix: the last N bytes
    const n = Number(b);
    if (!Number.isSafeInteger(n) || n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size };
  }
  const start = Number(a);
  if (!Number.isSafeInteger(start)) return { kind: 'unsatisfiable' };
  const last = b === '' ? Infinity : Number(b); // a last byte past the end means the end
  if (last < start) return { kind: 'whole' }; // invalid: ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(last + 1, size) };
}
