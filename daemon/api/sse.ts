// daemon/api/sse.ts — a Server-Sent Events response: takes the reply over from fastify,
// writes `event:`/`data:` frames and a `: keep-alive` comment every interval (15 s by
// default, so proxies and clients with idle timeouts keep the stream open).
// A client that reads slower than events come must not grow the daemon's memory: once
// more than `maxBufferedBytes` (1 MiB by default) wait in the response's buffer, the
// stream is cut (the connection destroyed; the client reconnects and reads the state
// afresh). `lagging` tells a sender that the client is behind, so it can skip events a
// later one supersedes (progress).
import type { FastifyReply } from 'fastify';

export const SSE_KEEP_ALIVE_MS = 15_000;
/** Bytes an event stream may hold unsent before it is cut. */
export const SSE_MAX_BUFFERED_BYTES = 1 << 20;

export interface EventStream {
  /** Sends one event; `data` is written as one JSON line. No-op after close. */
  send(event: string, data: unknown): void;
  /** Ends the response. */
  end(): void;
  /** Called once when the stream ends, either side. */
  onClose(fn: () => void): void;
  readonly closed: boolean;
  /** The client has not read what was sent so far (the socket's buffer is full). */
  readonly lagging: boolean;
}

export interface EventStreamOptions {
  keepAliveMs?: number;
  maxBufferedBytes?: number;
}

export function openEventStream(reply: FastifyReply, opts: number | EventStreamOptions = {}): EventStream {
  const o: EventStreamOptions = typeof opts === 'number' ? { keepAliveMs: opts } : opts;
  const keepAliveMs = o.keepAliveMs ?? SSE_KEEP_ALIVE_MS;
  const maxBuffered = o.maxBufferedBytes ?? SSE_MAX_BUFFERED_BYTES;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  const closers: Array<() => void> = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const fn of closers.splice(0)) fn();
  };
  const write = (text: string): void => {
    if (closed) return;
    if (res.writableLength + Buffer.byteLength(text) > maxBuffered) {
      // The client does not keep up: cut the stream rather than buffer without bound.
      res.destroy();
      close();
      return;
    }
    res.write(text);
  };
  const timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
  res.on('close', close);
  return {
    send(event, data) {
      write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!closed) res.end();
      close();
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
    get closed() { return closed; },
    get lagging() { return res.writableNeedDrain; },
  };
}
