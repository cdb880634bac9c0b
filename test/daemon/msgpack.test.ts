// Canonical msgpack: every byte pinned by hand from the msgpack spec, and strict decoding.
import t from 'tap';
import { encodeCanonical, decode } from '../../daemon/msgpack.js';
import { CairnError } from '../../daemon/errors.js';

const cases: Array<[string, unknown, string]> = [
  ['0', 0, '00'],
  ['127', 127, '7f'],
  ['128', 128, 'cc80'],
  ['255', 255, 'ccff'],
  ['256', 256, 'cd0100'],
  ['65535', 65535, 'cdffff'],
  ['65536', 65536, 'ce00010000'],
  ['2^32-1', 2 ** 32 - 1, 'ceffffffff'],
  ['2^32', 2 ** 32, 'cf0000000100000000'],
  ['2^53-1', 2 ** 53 - 1, 'cf001fffffffffffff'],
  ['-1', -1, 'ff'],
  ['-32', -32, 'e0'],
  ['-33', -33, 'd0df'],
  ['-128', -128, 'd080'],
  ['-129', -129, 'd1ff7f'],
  ['-32768', -32768, 'd18000'],
  ['-32769', -32769, 'd2ffff7fff'],
  ['-2^31', -(2 ** 31), 'd280000000'],
  ['-2^31-1', -(2 ** 31) - 1, 'd3ffffffff7fffffff'],
  ['-(2^53-1)', -(2 ** 53 - 1), 'd3ffe0000000000001'],
  ['-0 is the integer 0', -0, '00'],
  ['1.5', 1.5, 'cb3ff8000000000000'],
  ['-0.25', -0.25, 'cbbfd0000000000000'],
  ['null', null, 'c0'],
  ['undefined', undefined, 'c0'],
  ['true', true, 'c3'],
  ['false', false, 'c2'],
  ["''", '', 'a0'],
  ["'é'", 'é', 'a2c3a9'],
  ['31-byte str', 'a'.repeat(31), 'bf' + '61'.repeat(31)],
  ['32-byte str', 'a'.repeat(32), 'd920' + '61'.repeat(32)],
  ['256-byte str', 'a'.repeat(256), 'da0100' + '61'.repeat(256)],
  ['Buffer', Buffer.from([1, 2, 3]), 'c403010203'],
  ['empty Buffer', Buffer.alloc(0), 'c400'],
  ['Uint8Array', new Uint8Array([9]), 'c40109'],
  ['256-byte bin', Buffer.alloc(256, 7), 'c50100' + '07'.repeat(256)],
  ['nested arrays', [[1, [2]], []], '92920191029' + '0'],
  ['16-element array', new Array(16).fill(0), 'dc0010' + '00'.repeat(16)],
  ['a map, keys in the given order', { b: 1, a: [true, false, null] }, '82a16201a16193c3c2c0'],
  ['16-key map', Object.fromEntries(Array.from({ length: 16 }, (_, i) => [String.fromCharCode(97 + i), i])),
    'de0010' + Array.from({ length: 16 }, (_, i) => 'a1' + (97 + i).toString(16) + i.toString(16).padStart(2, '0')).join('')],
];

t.test('encodes each value in its canonical bytes', async (t) => {
  for (const [name, value, hex] of cases) t.equal(encodeCanonical(value).toString('hex'), hex, name);
});

t.test('decodes what it encodes', async (t) => {
  for (const [name, value] of cases) {
    let want = value;
    if (value === undefined) want = null;
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) want = Buffer.from(value);
    const got = decode(encodeCanonical(value));
    t.same(got, want, name);
    if (Buffer.isBuffer(want)) t.ok(Buffer.isBuffer(got), `${name} decodes to a Buffer`);
  }
});

t.test('integers stay numbers across every width', async (t) => {
  for (const n of [0, 1, 2 ** 31, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER, -5, -(2 ** 40) - 3, Number.MIN_SAFE_INTEGER]) {
    const got = decode(encodeCanonical(n));
    t.equal(typeof got, 'number');
    t.equal(got, n);
  }
});

t.test('refuses integers beyond the safe range, both ways', async (t) => {
  t.throws(() => encodeCanonical(2 ** 53), CairnError);
  t.throws(() => encodeCanonical(-(2 ** 53)), CairnError);
  t.throws(() => decode(Buffer.from('cf0020000000000000', 'hex')), CairnError);
  t.throws(() => decode(Buffer.from('d3ffdfffffffffffff', 'hex')), CairnError);
});

t.test('refuses what the formats never hold', async (t) => {
  t.throws(() => encodeCanonical(new Date()), CairnError);
  t.throws(() => encodeCanonical(new Map()), CairnError);
  t.throws(() => encodeCanonical(10n), CairnError);
  t.throws(() => encodeCanonical(() => 1), CairnError);
  t.throws(() => encodeCanonical(Symbol('x')), CairnError);
});

t.test('decoding is strict', async (t) => {
  const bad: Array<[string, string]> = [
    ['empty input', ''],
    ['trailing bytes', '0000'],
    ['truncated uint16', 'cd01'],
    ['truncated str', 'a3616263'.slice(0, 6)],
    ['truncated bin', 'c40501'],
    ['array longer than the input', 'dd7fffffff'],
    ['an extension', 'd40100'],
    ['a never-used byte', 'c1'],
    ['a non-string map key', '810101'],
    ['a duplicate key', '82a16101a16102'],
  ];
  for (const [name, hex] of bad) t.throws(() => decode(Buffer.from(hex, 'hex')), CairnError, name);
});

t.test('decoding reads other writers\' shapes too', async (t) => {
  t.equal(decode(Buffer.from('ca3fc00000', 'hex')), 1.5, 'float32');
  t.equal(decode(Buffer.from('cd0001', 'hex')), 1, 'a non-shortest uint16');
  t.equal(decode(Buffer.from('d90161', 'hex')), 'a', 'str8 of one byte');
  t.same(decode(Buffer.from('dc000101', 'hex')), [1], 'array16');
});

t.test('decoded bins are copies, and __proto__ stays a plain key', async (t) => {
  const input = encodeCanonical({ b: Buffer.from('abc') });
  const out = decode(input) as { b: Buffer };
  input.fill(0);
  t.equal(out.b.toString(), 'abc');
  const o = decode(Buffer.from('81a95f5f70726f746f5f5f01', 'hex')) as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(o), Object.prototype);
  t.same(Object.keys(o), ['__proto__']);
  t.equal(Object.getOwnPropertyDescriptor(o, '__proto__')?.value, 1);
});

t.test('large values round-trip (the scratch buffer grows)', async (t) => {
  const big = { names: Array.from({ length: 5000 }, (_, i) => Buffer.alloc(100, i & 0xff)), s: 'x'.repeat(70000) };
  const bytes = encodeCanonical(big);
  t.same(decode(bytes), big);
  t.equal(encodeCanonical(big).toString('hex'), bytes.toString('hex'), 'deterministic');
  t.equal(encodeCanonical(1).toString('hex'), '01', 'small after large');
});
