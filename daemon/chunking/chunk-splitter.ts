// Turns a file's bytes, arriving in pieces of any size, into chunks: it carries the bytes
// after the last cut into the next call of NativeChunker.cuts, so the result is the same
// as one `cuts(whole, true)` call whatever the piece sizes.
import type { NativeChunker } from '../../native/index.js';
import type { ChunkerParams } from './params.js';

/** Pieces are copied on push (the caller may reuse its read buffer at once); returned
 *  chunks are views into memory the splitter never touches again. Bytes are scanned in
 *  batches of at least `max`, which guarantees a cut per batch, so memory stays within
 *  about 2 × max per splitter. */
export class ChunkSplitter {
  readonly #chunker: NativeChunker;
  readonly #batch: number;
  #acc: Uint8Array;
  #len = 0;
  #ended = false;

  constructor(chunker: NativeChunker, params: Pick<ChunkerParams, 'max'>) {
    this.#chunker = chunker;
    this.#batch = params.max;
    this.#acc = new Uint8Array(0);
  }

  /** Bytes held back waiting for a cut. */
  get pending(): number {
    return this.#len;
  }

  /** Adds the next bytes of the file; returns the chunks they completed (maybe none). */
  push(piece: Uint8Array): Uint8Array[] {
    if (this.#ended) throw new Error('ChunkSplitter: push after end');
    if (piece.length === 0) return [];
    if (this.#len + piece.length > this.#acc.length) {
      const grown = new Uint8Array(Math.max(this.#batch, this.#len + piece.length));
      grown.set(this.#acc.subarray(0, this.#len));
      this.#acc = grown;
    }
    this.#acc.set(piece, this.#len);
    this.#len += piece.length;
    return this.#len >= this.#batch ? this.#split(false) : [];
  }

  /** Ends the file: returns its remaining chunks (none for an empty file). */
  end(): Uint8Array[] {
    if (this.#ended) return [];
    this.#ended = true;
    return this.#split(true);
  }

  #split(final: boolean): Uint8Array[] {
    const buf = this.#acc.subarray(0, this.#len);
    const cuts = this.#chunker.cuts(buf, final);
    const chunks: Uint8Array[] = [];
    let start = 0;
    for (const end of cuts) {
      chunks.push(buf.subarray(start, end));
      start = end;
    }
    const tail = buf.subarray(start);
    this.#acc = final ? new Uint8Array(0) : new Uint8Array(Math.max(this.#batch, tail.length));
    this.#acc.set(tail);
    this.#len = tail.length;
    return chunks;
  }
}

/** The chunks of a stream of pieces (a file read in any block size), in order. */
export async function* chunkStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  chunker: NativeChunker, params: Pick<ChunkerParams, 'max'>): AsyncGenerator<Uint8Array> {
  const splitter = new ChunkSplitter(chunker, params);
  for await (const piece of source) yield* splitter.push(piece);
  yield* splitter.end();
}
