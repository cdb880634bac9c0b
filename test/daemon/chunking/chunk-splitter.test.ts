// ChunkSplitter and chunkStream: any piece sizes give the chunks of one final cuts() call.
import t from 'tap';
import { chunkerFor, chunkStream, ChunkSplitter, DEFAULT_CHUNKER_PARAMS } from '../../../daemon/chunking/index.js';
import { goldenGear, loadGolden, paramsOf, prngBytes } from './golden.js';

const gear = goldenGear();
const small = paramsOf(loadGolden().params.small!);

/** Deterministic piece sizes from 1 byte to ~2^exp bytes. */
function pieceSizes(seed: bigint, total: number, maxExp: number): number[] {
  const r = prngBytes(seed, 8 * 4096);
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; sum < total; i = (i + 1) % 4096) {
    const size = Math.min(total - sum, 1 + (r.readUInt32LE(8 * i) % (2 ** (1 + (r[8 * i + 4]! % maxExp)))));
    out.push(size);
    sum += size;
  }
  return out;
}

function ends(chunks: Uint8Array[]): number[] {
  let at = 0;
  return chunks.map((c) => (at += c.length));
}

t.test('pieces of random sizes give the same chunks as the whole buffer', async (t) => {
  for (const [name, p, exp] of [['small', small, 18], ['default', DEFAULT_CHUNKER_PARAMS, 25]] as const) {
    const chunker = chunkerFor(gear, p);
    const data = prngBytes(0xabcn, name === 'small' ? 2 << 20 : 40 << 20);
    const want = Array.from(chunker.cuts(data, true));
    const splitter = new ChunkSplitter(chunker, p);
    const chunks: Uint8Array[] = [];
    let off = 0;
    for (const size of pieceSizes(9n, data.length, exp)) {
      chunks.push(...splitter.push(data.subarray(off, off + size)));
      off += size;
      if (splitter.pending >= 2 * p.max) t.fail(`holds ${splitter.pending} bytes`);
    }
    chunks.push(...splitter.end());
    t.same(ends(chunks), want, `${name}: cut points`);
    t.ok(Buffer.concat(chunks).equals(data), `${name}: bytes`);
  }
});

t.test('pushed bytes are copied: the caller may reuse its buffer', async (t) => {
  const chunker = chunkerFor(gear, small);
  const data = prngBytes(0x77n, 500_000);
  const splitter = new ChunkSplitter(chunker, small);
  const block = Buffer.alloc(4096);
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += block.length) {
    const n = data.copy(block, 0, off, off + block.length);
    chunks.push(...splitter.push(block.subarray(0, n)).map((c) => c));
    block.fill(0xee);
  }
  chunks.push(...splitter.end());
  t.ok(Buffer.concat(chunks).equals(data));
  t.same(ends(chunks), Array.from(chunker.cuts(data, true)));
});

t.test('an empty file has no chunks; push after end throws', async (t) => {
  const splitter = new ChunkSplitter(chunkerFor(gear, small), small);
  t.same(splitter.push(new Uint8Array(0)), []);
  t.same(splitter.end(), []);
  t.same(splitter.end(), []);
  t.throws(() => splitter.push(new Uint8Array(1)));
});

t.test('chunkStream yields the chunks of an async source in order', async (t) => {
  const chunker = chunkerFor(gear, small);
  const data = prngBytes(0x99n, 1 << 20);
  async function* source() {
    for (let off = 0; off < data.length; off += 65_000) yield data.subarray(off, off + 65_000);
  }
  const chunks: Uint8Array[] = [];
  for await (const c of chunkStream(source(), chunker, small)) chunks.push(c);
  t.same(ends(chunks), Array.from(chunker.cuts(data, true)));
  t.ok(Buffer.concat(chunks).equals(data));
});
