// daemon/errors.ts — the daemon's one kind of expected failure. Anything thrown that is
// not a CairnError is a bug: the API answers 500 with a generic message and logs the stack.
import { statusOf, type ErrorCode } from '../shared/errors.js';

export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CairnError';
    this.code = code;
    this.params = params;
  }
  get status(): number {
    return statusOf(this.code);
  }
}

export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError;
}

/** A field error in API.md's shape: 400 invalid_params with params.{field}. */
export function invalidParam(field: string, message: string,
  code: 'invalid_argument' | 'bad_number' | 'missing_argument' = 'invalid_argument'): CairnError {
  return new CairnError('invalid_params', message, { [field]: { code, message } });
}

/** The error an AbortSignal raises in our engines. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
