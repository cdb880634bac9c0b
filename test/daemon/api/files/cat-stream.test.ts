// cat's stages: codec by magic number, gzip and zstd decompressed in pieces (corrupt data
// → 422), peek gives the first piece and then everything, colours held only up to the cap.
import t from 'tap';
import { gzipSync } from 'node:zlib';
import { compress as zstd } from 'zstd-napi';
import { codecOf, colourise, decompress, peek, uncompressedName } from '../../../../daemon/api/files/cat-stream.js';
import { HIGHLIGHT_CAP } from '../../../../daemon/api/files/render-html.js';

async function* pieces(b: Buffer, n = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}
async function all(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of it) out.push(b);
  return Buffer.concat(out);
}

t.test('cat stages', async (t) => {
  const text = Buffer.from('some text\n'.repeat(5000));
  t.equal(codecOf(gzipSync(text)), 'gzip');
  t.equal(codecOf(zstd(text)), 'zstd');
  t.equal(codecOf(text), null);
  t.equal(codecOf(Buffer.alloc(0)), null);
  t.equal(uncompressedName('a.py.gz'), 'a.py');
  t.equal(uncompressedName('a.tar.ZST'), 'a.tar');
  t.ok((await all(decompress(pieces(gzipSync(text), 100), 'gzip'))).equals(text), 'gzip in small pieces');
  t.ok((await all(decompress(pieces(zstd(text), 100), 'zstd'))).equals(text), 'zstd in small pieces');
  const bad = Buffer.concat([gzipSync(text).subarray(0, 30), Buffer.alloc(30, 0xaa)]);
  await t.rejects(all(decompress(pieces(bad), 'gzip')), { code: 'unprocessable' }, 'corrupt gzip: 422');

  const p = await peek(pieces(text, 1000));
  t.equal(p.head.length, 1000);
  t.ok((await all(p.all)).equals(text), 'peek: the head, then everything');
  const e = await peek(pieces(Buffer.alloc(0)));
  t.equal(e.head.length, 0);
  t.equal((await all(e.all)).length, 0);

  const code = Buffer.from('const a = 1;\n');
  const coloured = (await all(colourise(pieces(code), 'x.js'))).toString();
  t.match(coloured, /\x1b\[/, 'colours');
  t.equal(coloured.replace(/\x1b\[\d+m/g, ''), code.toString(), 'the same text');
  const big = Buffer.from('const a = 1;\n'.repeat(Math.ceil((HIGHLIGHT_CAP + 10) / 13)));
  t.ok((await all(colourise(pieces(big, 4096), 'x.js'))).equals(big), 'over the cap: passed through plain');
  const bin = Buffer.from([0x63, 0, 0x64]);
  t.ok((await all(colourise(pieces(bin), 'x.js'))).equals(bin), 'binary: untouched');
});
