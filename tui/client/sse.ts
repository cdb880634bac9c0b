// tui/client/sse.ts — a Server-Sent Events reader: turns a response body (chunks of
// bytes) into `{event, data}` messages as the EventSource spec frames them: `event:` and
// `data:` fields, data lines joined with "\n", a blank line ends a message, lines starting
// with `:` (our `: keep-alive`) are ignored. Pure; used by ApiClient.stream.

export interface SseMessage {
  /** The `event:` field; "message" when the frame had none. */
  event: string;
  data: string;
  id?: string;
}

/** Yields each complete message; a frame cut off by the end of the body is dropped. */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let sawCr = false;

  const line = (text: string): SseMessage | null => {
    if (text === '') {
      const done = data.length > 0 ? { event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) } : null;
      event = '';
      data = [];
      return done;
    }
    if (text.startsWith(':')) return null;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    return null;
  };

  for await (const chunk of body) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const c = pending.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // "\r\n" split across two chunks: the "\n" ends nothing.
      if (c === 10 && sawCr && i === start && i === 0) { start = i + 1; sawCr = false; continue; }
      const msg = line(pending.slice(start, i));
      if (msg) yield msg;
      if (c === 13 && pending.charCodeAt(i + 1) === 10) i++;
      sawCr = c === 13 && i === pending.length - 1;
      start = i + 1;
    }
    pending = pending.slice(start);
  }
}
