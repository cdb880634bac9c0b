// daemon/workers/transfer.ts — how a worker hands a result back with its buffers moved
// (piscina's transfer list), not copied. Used by every worker entry of this folder.
import { move, transferableSymbol, valueSymbol } from 'piscina';

/** Returns `value` to the main thread with `list` transferred, not copied. */
export function transfer<T>(value: T, list: ArrayBuffer[]): T {
  return move({ [transferableSymbol]: list, [valueSymbol]: value } as never) as T;
}
