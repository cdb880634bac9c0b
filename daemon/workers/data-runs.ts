// daemon/workers/data-runs.ts — where restored bytes must really be written: the runs of
// `data` (to be placed at file offset `pos`) left once every whole, aligned, all-zero 4 KiB
// block is taken out, so sparse files stay sparse. Pure; used by the IO threads' writer and
// the restore engine's.

const BLOCK = 4096;
const ZERO = Buffer.alloc(BLOCK);

/** [start, end) offsets into `data` that hold data (zero blocks aligned to the file skipped). */
export function dataRuns(data: Buffer, pos: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i < data.length;) {
    // the block containing file offset pos+i, clipped to the data
    const end = Math.min(data.length, i + (BLOCK - ((pos + i) % BLOCK)));
    const zero = end - i === BLOCK && data.subarray(i, end).equals(ZERO);
    if (zero && start >= 0) {
      runs.push([start, i]);
      start = -1;
    } else if (!zero && start < 0) start = i;
    i = end;
  }
  if (start >= 0) runs.push([start, data.length]);
  return runs;
}
