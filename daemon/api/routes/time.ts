// daemon/api/routes/time.ts — times as API.md takes them: RFC 3339, and ISO 8601 without
// an offset taken as UTC (our own parser: Date.parse reads those as local time).
import { invalidParam } from '../../errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch; a bad value is 400 invalid_params naming `field`. */
export function parseTime(s: string, field: string): number {
  const m = ISO.exec(s.trim());
  if (!m) throw invalidParam(field, 'an RFC 3339 or ISO 8601 time, like 2026-01-31T12:00:00Z');
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number((frac + '000').slice(0, 3)));
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (!Number.isFinite(ms)) throw invalidParam(field, 'an RFC 3339 or ISO 8601 time');
  return ms;
}
