// daemon/api/files/cat-stream.ts — the bytes `files/cat` answers: a file's content,
// optionally decompressed (gzip through zlib, zstd through zstd-napi's streaming
// decompressor; chosen by the data's magic number, whatever the name), optionally with
// ANSI colours (emphasize, off the event loop). Streams at the consumer's pace; what must
// be held for highlighting is capped at HIGHLIGHT_CAP (a longer text is sent plain).
// Called by routes/files.ts.
import { Readable, pipeline, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DecompressStream } from 'zstd-napi';
import { CairnError, CancelledError } from '../../errors.js';
import { highlight, languageOf } from './highlighter.js';
import { AUTO_DETECT_CAP, HIGHLIGHT_CAP } from './render-html.js';

export type Codec = 'gzip' | 'zstd';

/** zstd frames may ask for a window up to 2^ZSTD_WINDOW_LOG_MAX bytes (16 MiB: every
 *  standard level up to 19; --ultra and --long frames beyond it are refused). */
export const ZSTD_WINDOW_LOG_MAX = 24;

/** The codec of data starting with `head`, or null. */
export function codecOf(head: Buffer): Codec | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return null;
}

/** The name without a compression suffix (for the language of `x.py.gz`). */
export function uncompressedName(name: string): string {
  return name.replace(/\.(gz|zst)$/i, '');
}

/** The first piece of `source` (empty when there is none) and the whole of it again. */
export async function peek(source: AsyncIterable<Buffer>): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (first.done) return;
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      await it.return?.();
    }
  }
  return { head, all: all() };
}

function decompressor(codec: Codec): Transform {
  return codec === 'gzip' ? createGunzip() : new DecompressStream({ windowLogMax: ZSTD_WINDOW_LOG_MAX });
}

/** `source` decompressed; corrupt data ends the iteration with 422 unprocessable. */
export async function* decompress(source: AsyncIterable<Buffer>, codec: Codec): AsyncGenerator<Buffer> {
  const out = pipeline(Readable.from(source, { objectMode: false, highWaterMark: 1 << 16 }), decompressor(codec), () => undefined);
  try {
    yield* out as AsyncIterable<Buffer>;
  } catch (e) {
    if (e instanceof CairnError || e instanceof CancelledError) throw e;
    const message = `the ${codec} data could not be decompressed: ${(e as Error).message}`;
    throw new CairnError('unprocessable', message, { path: { code: 'invalid_argument', message } });
  }
}

/** `text` (bytes) with ANSI colours for `name`'s language: held up to HIGHLIGHT_CAP; a
 *  longer text, or one that takes too long, passes through plain. */
export async function* colourise(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const held: Buffer[] = [];
  let n = 0;
  const it = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      held.push(r.value);
      n += r.value.length;
      if (n > HIGHLIGHT_CAP) {
        yield* held.splice(0);
        for (let x = await it.next(); !x.done; x = await it.next()) yield x.value;
        return;
      }
    }
  } finally {
    await it.return?.();
  }
  const text = Buffer.concat(held, n);
  if (text.subarray(0, 8000).includes(0)) {
    yield text; // binary: nothing to colour
    return;
  }
  const r = await highlight({ kind: 'ansi', text: text.toString('utf8'), language: languageOf(name), auto: n <= AUTO_DETECT_CAP });
  yield r ? Buffer.from(r.value, 'utf8') : text;
}
