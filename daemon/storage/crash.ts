// daemon/storage/crash.ts — test-only crash points. With CAIRN_TEST_CRASH=<step>:<n> in the
// environment the process SIGKILLs itself the n-th time it reaches <step>; unset (always, in
// production) crashPoint is a cheap no-op. The variable is read once, on the first call.
// Steps: pack-committed, pack-indexed, snapshot-committed, snapshot-before-index (called by
// the repository), and inside storage
// `put-tmp-written:<first path segment>` (put, after the tmp fsync, before the rename) and
// `upload-tmp-written` (Upload.commit, after the fsync, before the rename), which answer to
// the protocol names pack-tmp-written and snapshot-tmp-written as well.

interface Spec {
  step: string;
  n: number;
}

let spec: Spec | null | undefined;
let reached = 0;

/** Parses `<step>:<n>`; the step may itself contain ':' (e.g. `put-tmp-written:snapshots:1`). */
export function parseCrashSpec(value: string | undefined): Spec | null {
  if (!value) return null;
  const i = value.lastIndexOf(':');
  if (i <= 0) return null;
  const n = Number(value.slice(i + 1));
  if (!Number.isInteger(n) || n < 1) return null;
  return { step: value.slice(0, i), n };
}

/** The write protocol's names for the storage-internal steps (the step list). */
const ALIASES: Record<string, string> = {
  'upload-tmp-written': 'pack-tmp-written',
  'put-tmp-written:snapshots': 'snapshot-tmp-written',
};

/** Kills the process (SIGKILL, no cleanup) when `step` is the configured step, reached for the n-th time. */
export function crashPoint(step: string): void {
  if (spec === undefined) spec = parseCrashSpec(process.env.CAIRN_TEST_CRASH);
  if (spec === null || (spec.step !== step && spec.step !== ALIASES[step])) return;
  reached++;
  if (reached === spec.n) {
    process.stderr.write(`cairn: test crash at ${step} (${reached})\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
