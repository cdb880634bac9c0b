// test/native/malloc.test.ts — mallocTune/mallocTrim: glibc accepts the settings the
// daemon uses, and rejects wrong argument types with a TypeError instead of crashing.
import t from 'tap';
import { mallocTrim, mallocTune } from '../../native/index.js';

t.test('tune and trim on glibc', async (t) => {
  t.equal(mallocTune(2, 1 << 20), true, 'mallopt accepted arena max and mmap threshold');
  t.equal(mallocTune(0, 0), true, 'zero leaves both alone');
  const big = Buffer.allocUnsafeSlow(8 << 20).fill(1); // mmapped with the 1 MiB threshold
  t.equal(big[big.length - 1], 1);
  t.equal(mallocTrim(), true);
});

t.test('bad arguments throw', async (t) => {
  t.throws(() => mallocTune(-1 as number, 0), /arenaMax/);
  t.throws(() => mallocTune(2, 'x' as unknown as number), /mmapThreshold/);
});
