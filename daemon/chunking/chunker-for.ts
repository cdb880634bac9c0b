// The native chunker for one repository's gear table and params.
import { createChunker, type NativeChunker } from '../../native/index.js';
import type { ChunkerParams } from './params.js';

/** A native FastCDC chunker (native/src/cdc.c); reusable, holds no buffers between calls.
 *  Throws when the addon is not built, RangeError on a bad table or params. */
export function chunkerFor(gear: Uint8Array, params: ChunkerParams): NativeChunker {
  return createChunker({
    gear,
    min: params.min,
    avg: params.avg,
    max: params.max,
    maskS: params.maskS,
    maskL: params.maskL,
  });
}
