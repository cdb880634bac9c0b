// tui/cli/commands/jobs.ts — `cairn jobs [list]` (GET /api/jobs, newest first),
// `cairn jobs logs JOB` (GET /api/jobs/{id}/logs), `cairn jobs retry JOB` (POST
// /api/jobs/{id}/retry, then follows the new job), `cairn jobs wait JOB` (GET
// /api/jobs/{id}/wait until it ends) and `cairn cancel JOB` (POST /api/jobs/{id}/cancel).
// `jobs wait` and `jobs retry` exit 0 when the job succeeded, 1 otherwise.
import { Option, type Command } from 'commander';
import { JOB_STATUSES } from '../../../shared/vocabulary.js';
import { type Job, type JobStatus } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { followJob } from '../follow-job.js';
import { formatTable, formatTime, printable } from '../format.js';

interface JobsOptions {
  status?: JobStatus;
}

function row(j: Job): string[] {
  const progress = j.status === 'running' && j.progress.percent !== null ? `${j.progress.percent.toFixed(1)}%` : '';
  return [j.id, j.kind, j.status, progress, formatTime(j.created_at), printable(j.repository ?? '')];
}

export async function jobs(ctx: CliContext, opts: JobsOptions): Promise<number> {
  const list = await ctx.client().request('jobs.list', { query: opts.status ? { status: opts.status } : {} });
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  if (list.items.length === 0) {
    ctx.print('no jobs');
    return 0;
  }
  const header = ['ID', 'Kind', 'Status', 'Progress', 'Created', 'Repository'];
  for (const line of formatTable(header, list.items.map(row), { right: [3] })) ctx.print(line);
  if (list.total > list.items.length) ctx.print(`(${list.items.length} of ${list.total} jobs)`);
  return 0;
}

export async function cancel(ctx: CliContext, id: string): Promise<number> {
  const job = await ctx.client().request('jobs.cancel', { params: { id } });
  if (ctx.json) ctx.printJson(job);
  else ctx.print(`job ${job.id}: ${job.status}`);
  return 0;
}

export async function logs(ctx: CliContext, id: string): Promise<number> {
  const out = await ctx.client().request('jobs.logs', { params: { id } });
  if (ctx.json) {
    ctx.printJson(out);
    return 0;
  }
  if (out.items.length === 0) ctx.print(`job ${id} has no log`);
  for (const e of out.items) ctx.print(`${formatTime(e.ts)}  ${e.level.padEnd(5)}  ${printable(e.message)}`);
  return 0;
}

/** How an ended job is reported: one line, and its exit code. */
function ended(ctx: CliContext, job: Job): number {
  if (ctx.json) ctx.printJson(job);
  else {
    const why = job.error ? `: ${printable(job.error.message)}` : '';
    ctx.print(`job ${job.id} (${job.kind}): ${job.status}${why}`);
  }
  return job.status === 'success' ? EXIT.ok : EXIT.error;
}

interface WaitOptions {
  timeout?: string;
}

/** Longest single /wait request, in seconds (the daemon allows up to an hour). */
const WAIT_STEP_S = 60;

export async function wait(ctx: CliContext, id: string, opts: WaitOptions): Promise<number> {
  let left = Infinity;
  if (opts.timeout !== undefined) {
    left = Number(opts.timeout);
    if (!Number.isFinite(left) || left < 0) throw new UsageError(`--timeout: "${opts.timeout}" is not a number of seconds`);
  }
  const client = ctx.client();
  for (;;) {
    const step = Math.min(left, WAIT_STEP_S);
    const job = await client.request('jobs.wait', { params: { id }, query: { timeout: step } });
    left -= step;
    if (job.status === 'success' || job.status === 'failed' || job.status === 'canceled') return ended(ctx, job);
    if (left <= 0) {
      if (ctx.json) ctx.printJson(job);
      else ctx.print(`job ${job.id} (${job.kind}): still ${job.status}`);
      return EXIT.error;
    }
  }
}

interface RetryOptions {
  wait: boolean;
}

export async function retry(ctx: CliContext, id: string, opts: RetryOptions): Promise<number> {
  const job = await ctx.client().startJob('jobs.retry', { params: { id } });
  if (!opts.wait) {
    if (ctx.json) ctx.printJson({ job });
    else ctx.print(`job ${job.id} started, retrying ${id} (follow it with: cairn jobs wait ${job.id})`);
    return EXIT.ok;
  }
  return ended(ctx, await followJob(ctx, job));
}

export const registerJobs: Register = (program, run) => {
  const group = program.command('jobs').description('cairnd\'s jobs: list them (the default), read their logs, retry, wait');
  group.command('list', { isDefault: true })
    .description('list cairnd\'s jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs with this status').choices(JOB_STATUSES))
    .action((opts: JobsOptions, cmd: Command) => run(cmd, (ctx) => jobs(ctx, opts)));
  group.command('logs')
    .description('print a job\'s log')
    .argument('<job>', 'the job\'s id')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => logs(ctx, id)));
  group.command('retry')
    .description('run an ended job again (same request) and follow the new job')
    .argument('<job>', 'the job\'s id')
    .option('--no-wait', 'start the new job, print it and exit')
    .action((id: string, opts: RetryOptions, cmd: Command) => run(cmd, (ctx) => retry(ctx, id, opts)));
  group.command('wait')
    .description('wait for a job to end; exit 0 if it succeeded')
    .argument('<job>', 'the job\'s id')
    .option('--timeout <seconds>', 'give up after this long (exit 1)')
    .action((id: string, opts: WaitOptions, cmd: Command) => run(cmd, (ctx) => wait(ctx, id, opts)));
  program.command('cancel')
    .description('cancel a job')
    .argument('<job>', 'the job\'s id')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => cancel(ctx, id)));
};
