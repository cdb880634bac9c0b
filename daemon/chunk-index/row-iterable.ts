// daemon/chunk-index/row-iterable.ts — iteration over a table without a long read
// transaction: rows are fetched in pages of PAGE_ROWS, each page read to the end at once,
// so nothing is held between pages (a consumer may await between rows) and memory stays
// at one page however large the table. Usable with `for` and `for await`.
import type { Database, Key } from 'lmdb';

export const PAGE_ROWS = 256;

export class RowIterable<T> implements Iterable<T>, AsyncIterable<T> {
  constructor(
    private readonly db: Database<unknown, Key>,
    private readonly map: (key: Key, value: unknown) => T,
    private readonly bounds: { start?: Key; end?: Key } = {},
  ) {}

  *[Symbol.iterator](): Iterator<T> {
    let after: Key | undefined;
    for (;;) {
      const page: T[] = [];
      let last: Key | undefined;
      const range = this.db.getRange({
        start: after ?? this.bounds.start,
        end: this.bounds.end,
        exclusiveStart: after !== undefined,
        limit: PAGE_ROWS,
      });
      for (const { key, value } of range) {
        page.push(this.map(key, value));
        last = key;
      }
      yield* page;
      if (page.length < PAGE_ROWS || last === undefined) return;
      after = last;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const row of this) yield row;
  }
}
