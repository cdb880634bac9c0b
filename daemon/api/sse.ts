// daemon/api/sse.ts — a Server-Sent Events response: takes the reply over from fastify,
// writes `event:`/`data:` frames and a `: keep-alive` comment every interval (15 s by
// default, so proxies and clients with idle timeouts keep the stream open).
import type { FastifyReply } from 'fastify';

export const SSE_KEEP_ALIVE_MS = 15_000;

export interface EventStream {
  /** Sends one event; `data` is written as one JSON line. No-op after close. */
  send(event: string, data: unknown): void;
  /** Ends the response. */
  end(): void;
  /** Called once when the stream ends, either side. */
  onClose(fn: () => void): void;
  readonly closed: boolean;
}

export function openEventStream(reply: FastifyReply, keepAliveMs = SSE_KEEP_ALIVE_MS): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  let closed = false;
  const closers: Array<() => void> = [];
  const timer = setInterval(() => { if (!closed) res.write(': keep-alive\n\n'); }, keepAliveMs);
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    for (const fn of closers.splice(0)) fn();
  };
  res.on('close', close);
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
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
  };
}
