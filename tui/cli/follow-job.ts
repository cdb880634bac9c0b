// tui/cli/follow-job.ts — runs a long operation the way every command does (API.md "Long
// operations"): start it with `?async=true`, follow `/api/jobs/{id}/stream` (a progress
// bar on a terminal, silence otherwise) until `end`, then read the job for its result or
// error. Ctrl-C stops following but never cancels the job: the daemon keeps it.
import { statusOf, isErrorCode } from '../../shared/errors.js';
import type { Job } from '../../shared/schemas/index.js';
import { ApiError, type JobRouteKey, type RequestOptions, type ResultOf } from '../client/index.js';
import type { CliContext } from './context.js';
import { CliError, InterruptedError } from './errors.js';
import { ProgressBar } from './progress-bar.js';

const ENDED = new Set<Job['status']>(['success', 'failed', 'canceled']);

/** Longest `/wait` of one request when the stream ended early, in seconds. */
const WAIT_S = 30;

function interruptedMessage(jobId: string): string {
  return `interrupted; job ${jobId} keeps running in cairnd (cancel it with: cairn cancel ${jobId})`;
}

/** Follows a started job to its end and returns the ended job. Throws InterruptedError
 *  on Ctrl-C, ApiError/ConnectionError when the daemon cannot tell. */
export async function followJob(ctx: CliContext, job: Job): Promise<Job> {
  const client = ctx.client();
  const bar = ctx.interactive ? new ProgressBar(ctx.io.stderr) : null;
  const abort = new AbortController();
  const stop = ctx.io.onInterrupt(() => abort.abort());
  try {
    try {
      for await (const e of client.jobEvents(job.id, abort.signal)) {
        if (e.event === 'log') {
          if (bar && (e.data.level === 'warn' || e.data.level === 'error')) bar.log(`${e.data.level}: ${e.data.message}`);
          continue;
        }
        bar?.update(e.data);
        if (e.event === 'end') break;
      }
    } catch (err) {
      // A 4xx (unknown job, no permission) is final; a dropped stream is not: wait below.
      if (!abort.signal.aborted && err instanceof ApiError && err.status < 500) throw err;
    }
    if (abort.signal.aborted) throw new InterruptedError(interruptedMessage(job.id));
    let current = await client.request('jobs.get', { params: { id: job.id }, signal: abort.signal });
    while (!ENDED.has(current.status)) {
      current = await client.request('jobs.wait', { params: { id: job.id }, query: { timeout: WAIT_S }, signal: abort.signal });
    }
    return current;
  } catch (err) {
    if (abort.signal.aborted) throw new InterruptedError(interruptedMessage(job.id));
    throw err;
  } finally {
    stop();
    bar?.clear();
  }
}

/** The result of an ended job; a failed job becomes the ApiError its error names. */
export function jobResult(job: Job): unknown {
  if (job.status === 'success') return job.result;
  if (job.status === 'canceled') throw new CliError(`job ${job.id} was cancelled`);
  const e = job.error;
  const code = e && isErrorCode(e.code) ? e.code : 'internal-error';
  throw new ApiError(statusOf(code), code, e?.message ?? `job ${job.id} failed`, { ...(e?.params ?? {}), job_id: job.id });
}

/** Starts a job route and follows it: its result, or null with `noWait` (then the job
 *  has been printed: its id, or `{job}` with --json). */
export async function runJob<K extends JobRouteKey>(ctx: CliContext, key: K, opts: RequestOptions<K>,
  noWait = false): Promise<ResultOf<K> | null> {
  const job = await ctx.client().startJob(key, opts);
  if (noWait) {
    if (ctx.json) ctx.printJson({ job });
    else ctx.print(`job ${job.id} started (see it with: cairn jobs; cancel it with: cairn cancel ${job.id})`);
    return null;
  }
  return jobResult(await followJob(ctx, job)) as ResultOf<K>;
}
