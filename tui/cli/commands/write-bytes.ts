// tui/cli/commands/write-bytes.ts — a response body copied to the CLI's stdout at the
// pace stdout takes it (cat, download without -o). A real stream gets the bytes as they
// are; a text-only stream (tests, the TUI) gets them decoded as UTF-8.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { CliStream } from '../context.js';

type ByteStream = CliStream & { write(b: Uint8Array | string): boolean; once(event: string, fn: () => void): unknown };

function takesBytes(out: CliStream): out is ByteStream {
  return typeof (out as { once?: unknown }).once === 'function';
}

/** Copies `body` to `out`; resolves with the number of bytes. */
export async function writeBytes(out: CliStream, body: Readable): Promise<number> {
  let n = 0;
  if (takesBytes(out)) {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (!out.write(chunk)) await once(out as unknown as NodeJS.EventEmitter, 'drain');
    }
    return n;
  }
  const text = new StringDecoder('utf8');
  for await (const chunk of body as AsyncIterable<Buffer>) {
    n += chunk.length;
    out.write(text.write(chunk));
  }
  out.write(text.end());
  return n;
}
