// test/helpers/sse.ts — one parser of Server-Sent Events frames for the tests that read
// cairnd's streams (/api/events, /api/jobs/{id}/stream): feed it the response's UTF-8
// chunks; it calls back once per complete frame with its event name (null when the frame
// names none), its `data:` lines joined by "\n", and its `:` comments.
export interface SseFrame { event: string | null; data: string | null; comments: string[] }

export function sseParser(onFrame: (f: SseFrame) => void): (chunk: string) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let event: string | null = null;
      const data: string[] = [];
      const comments: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) comments.push(line.slice(1).trim());
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      onFrame({ event, data: data.length > 0 ? data.join('\n') : null, comments });
    }
  };
}
