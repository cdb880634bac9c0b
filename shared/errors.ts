// shared/errors.ts — the one table of error codes: each code's HTTP status and default
// message. Used by the daemon (CairnError → HTTP) and by clients (HTTP body → message).
// API.md "Conventions" is the source; test/shared/errors.test.ts keeps them in step.

export const ERROR_STATUS = {
  invalid_params: 400,
  bad_auth: 401,
  forbidden: 403,
  'not-found': 404,
  'request-timeout': 408,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  unprocessable: 422,
  'rate-limited': 429,
  'headers-too-large': 431,
  'internal-error': 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One bad field, as API.md nests it under `params`. */
export interface FieldError {
  code: 'invalid_argument' | 'bad_number' | 'missing_argument' | string;
  message: string;
}

/** The body of every error response: `{"error": {code, message, params}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; params: Record<string, unknown> };
}

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

export function isErrorCode(s: unknown): s is ErrorCode {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, s);
}

/** Maps an HTTP status back to a code (clients that get a body-less error). */
export function codeForStatus(status: number): ErrorCode {
  for (const [code, s] of Object.entries(ERROR_STATUS)) if (s === status) return code as ErrorCode;
  return status >= 500 ? 'internal-error' : 'invalid_params';
}
