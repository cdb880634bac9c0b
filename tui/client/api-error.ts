// tui/client/api-error.ts — what a failed call to cairnd becomes on the client side:
// ApiError for an answer with an error status (API.md's error body, or a code derived
// from the status when the body is not ours), ConnectionError when no answer came.
import { codeForStatus, isErrorCode, type ErrorCode } from '../../shared/errors.js';

/** The daemon answered with an error status. `message` is one line. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly params: Record<string, unknown>;
  constructor(status: number, code: ErrorCode, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.params = params;
  }
}

/** No answer: nothing listening, refused, reset, or an unusable address. */
export class ConnectionError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ConnectionError';
  }
}

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Builds the ApiError for a response with `status` and body text `text`. Never throws. */
export function apiErrorFrom(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; params?: unknown } };
    const e = body?.error;
    if (e && typeof e.message === 'string') {
      const code = isErrorCode(e.code) ? e.code : codeForStatus(status);
      const params = typeof e.params === 'object' && e.params !== null ? e.params as Record<string, unknown> : {};
      return new ApiError(status, code, oneLine(e.message) || `HTTP ${status}`, params);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  const detail = oneLine(text).slice(0, 200);
  return new ApiError(status, codeForStatus(status), detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`);
}
