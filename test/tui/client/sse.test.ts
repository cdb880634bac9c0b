// tui/client/sse.ts: framing of Server-Sent Events however the bytes are cut.
import t from 'tap';
import { parseSse, type SseMessage } from '../../../tui/client/index.js';

async function collect(chunks: Array<string | Uint8Array>): Promise<SseMessage[]> {
  async function* gen(): AsyncGenerator<string | Uint8Array> { yield* chunks; }
  const out: SseMessage[] = [];
  for await (const m of parseSse(gen())) out.push(m);
  return out;
}

const STREAM = ': keep-alive\n\nevent: progress\ndata: {"a":1}\n\nevent: log\ndata: line one\ndata: line two\n\n'
  + 'data: no event name\nid: 7\n\nevent: end\ndata:{"b":"é"}\n\n';
const EXPECTED = [
  { event: 'progress', data: '{"a":1}' },
  { event: 'log', data: 'line one\nline two' },
  { event: 'message', data: 'no event name', id: '7' },
  { event: 'end', data: '{"b":"é"}', id: '7' },
];

t.test('frames events, joins data lines, skips comments', async (t) => {
  t.same(await collect([STREAM]), EXPECTED);
});

t.test('any cut of the bytes gives the same events, with \\n, \\r\\n or \\r line ends', async (t) => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const bytes = Buffer.from(STREAM.replaceAll('\n', eol));
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const got = await collect([bytes.subarray(0, cut), bytes.subarray(cut, cut + 5), bytes.subarray(cut + 5)]);
      t.same(got, EXPECTED, `eol ${JSON.stringify(eol)} cut at ${cut}`);
      if (t.passing() === false) return;
    }
    // One byte at a time (splits the UTF-8 of "é" and every "\r\n").
    t.same(await collect([...bytes].map((b) => Uint8Array.of(b))), EXPECTED, `bytewise, eol ${JSON.stringify(eol)}`);
  }
});

t.test('a frame cut off by the end of the body is dropped; a blank line alone is nothing', async (t) => {
  t.same(await collect(['\n\nevent: progress\ndata: {}\n\nevent: end\ndata: {"x"']), [{ event: 'progress', data: '{}' }]);
  t.same(await collect(['event: only\n\n']), []);
});
