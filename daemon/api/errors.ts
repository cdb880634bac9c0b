// daemon/api/errors.ts — every failure as API.md's error body
// `{"error": {code, message, params}}`: CairnErrors with their status, malformed
// snapshot references as 400, fastify's own errors (bad JSON, 413, 415, bad URL) mapped
// to our codes, anything else 500 with a generic message (the stack goes to the log).
// Also the raw answer for connections Node rejects before HTTP parsing succeeds.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { codeForStatus, statusOf, type ErrorCode } from '../../shared/errors.js';
import { SnapshotRefError } from '../../shared/snapshot-ref.js';
import { isCairnError } from '../errors.js';
import { logger } from '../log.js';

const log = logger('api');

export interface ErrorResponse {
  status: number;
  body: { error: { code: ErrorCode; message: string; params: Record<string, unknown> } };
  headers: Record<string, string>;
}

function response(code: ErrorCode, message: string, params: Record<string, unknown> = {}): ErrorResponse {
  return { status: statusOf(code), body: { error: { code, message, params } }, headers: {} };
}

const FASTIFY: Record<string, (e: Error) => ErrorResponse> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => response('too-large', 'request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => response('unsupported-media-type', 'unsupported Content-Type: send application/json'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => response('invalid_params', 'Content-Length does not match the body'),
  FST_ERR_BAD_URL: () => response('invalid_params', 'the URL is not valid: percent-escapes must encode UTF-8 outside a SNAPSHOT:path'),
  FST_ERR_MAX_PARAM_LENGTH: () => response('invalid_params', 'a URL parameter is too long'),
};

/** Maps anything thrown while answering a request to its error response. */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (isCairnError(err)) {
    const r = response(err.code, err.message, err.params);
    const retry = err.params.retry_after;
    if (err.code === 'rate-limited' && typeof retry === 'number') r.headers['retry-after'] = String(Math.ceil(retry));
    return r;
  }
  if (err instanceof SnapshotRefError) {
    return response('invalid_params', err.message, { [err.field]: { code: 'invalid_argument', message: err.message } });
  }
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'string' && FASTIFY[e.code]) return FASTIFY[e.code]!(e);
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return response(codeForStatus(e.statusCode), STATUS_CODES[e.statusCode]?.toLowerCase() ?? 'bad request');
  }
  log.error('unexpected error while answering a request', { stack: e?.stack ?? String(err) });
  return response('internal-error', 'internal error');
}

/** Node's `clientError` (malformed request, oversized headers, request timeout): answers
 *  with our error body and `Connection: close`, unless a response is already under way. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const r = err.code === 'HPE_HEADER_OVERFLOW' ? response('headers-too-large', 'request headers are too large')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? response('request-timeout', 'the request was not received in time')
      : response('invalid_params', 'malformed HTTP request');
  const body = JSON.stringify(r.body);
  socket.end(`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status]}\r\n`
    + 'Content-Type: application/json; charset=utf-8\r\n'
    + `Content-Length: ${Buffer.byteLength(body)}\r\n`
    + 'Connection: close\r\n\r\n' + body);
}
