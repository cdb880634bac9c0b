// chunkerFor: the native chunker agrees with the reference for a repository's params.
import t from 'tap';
import { chunkerFor, DEFAULT_CHUNKER_PARAMS, referenceCuts } from '../../../daemon/chunking/index.js';
import { goldenGear, loadGolden, paramsOf, prngBytes } from './golden.js';

const gear = goldenGear();

t.test('chunkerFor cuts like referenceCuts with default and small params', async (t) => {
  const buf = prngBytes(0x51n, 6 << 20);
  for (const p of [DEFAULT_CHUNKER_PARAMS, paramsOf(loadGolden().params.small!)]) {
    const chunker = chunkerFor(gear, p);
    for (const final of [true, false]) {
      t.same(Array.from(chunker.cuts(buf, final)), referenceCuts(buf, gear, p, final), `min ${p.min} final ${final}`);
    }
  }
});

t.test('chunkerFor refuses a gear table of the wrong size and inconsistent params', async (t) => {
  t.throws(() => chunkerFor(gear.subarray(0, 1024), DEFAULT_CHUNKER_PARAMS), RangeError);
  t.throws(() => chunkerFor(gear, { ...DEFAULT_CHUNKER_PARAMS, avg: DEFAULT_CHUNKER_PARAMS.max + 1 }), RangeError);
  t.throws(() => chunkerFor(gear, { ...DEFAULT_CHUNKER_PARAMS, maskS: -1n }), RangeError);
});
