// The reader's HTML pages: every mode escapes the file and its name, code is highlighted,
// auto picks code by name and refuses to show binary, the size caps are announced.
import t from 'tap';
import { HIGHLIGHT_CAP, renderPage } from '../../../../daemon/api/files/render-html.js';

const CODE = Buffer.from('<script>alert(1)</script>\nconst x = "</pre>";\n');

t.test('render modes', async (t) => {
  for (const mode of ['code', 'text', 'text_styled', 'auto', 'highlight'] as const) {
    const html = await renderPage({ name: '<b>x.js', path: '/p/<b>x.js', size: CODE.length, bytes: CODE, mode });
    const text = html.replace(/<\/?span[^>]*>/g, '');
    t.notMatch(html, /<script|<b>|"<\/pre>"/, `${mode}: nothing of the file or its name unescaped`);
    t.match(text, /(&lt;|&#60;)script(&gt;|&#62;)/, `${mode}: shown escaped`);
    t.notMatch(html, /<script/, `${mode}: no script`);
  }
  const code = await renderPage({ name: 'x.js', path: '/x.js', size: CODE.length, bytes: CODE, mode: 'code' });
  t.match(code, /class="hljs-/, 'code: highlighted');
  const auto = await renderPage({ name: 'notes', path: '/notes', size: 5, bytes: Buffer.from('plain'), mode: 'auto' });
  t.notMatch(auto, /class="hljs-/, 'auto without a language from the name: styled text');
  const bin = await renderPage({ name: 'x.bin', path: '/x.bin', size: 3, bytes: Buffer.from([1, 0, 2]), mode: 'auto' });
  t.match(bin, /binary file/i, 'auto: a binary file gets a note');
  const cut = await renderPage({ name: 'x.txt', path: '/x.txt', size: 10_000, bytes: Buffer.from('abc'), mode: 'text_styled' });
  t.match(cut, /first 3 of 10000 bytes/, 'a capped file says so');
  const big = Buffer.from('a'.repeat(HIGHLIGHT_CAP + 1));
  const plain = await renderPage({ name: 'x.js', path: '/x.js', size: big.length, bytes: big, mode: 'code' });
  t.match(plain, /Not highlighted: larger than/, 'over the highlight cap: plain, with a note');
});
