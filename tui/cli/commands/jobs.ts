// tui/cli/commands/jobs.ts — `cairn jobs` (GET /api/jobs, newest first) and
// `cairn cancel JOB` (POST /api/jobs/{id}/cancel).
import { Option, type Command } from 'commander';
import { JOB_STATUSES, type Job, type JobStatus } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
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

export const registerJobs: Register = (program, run) => {
  program.command('jobs')
    .description('list cairnd\'s jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs with this status').choices(JOB_STATUSES))
    .action((opts: JobsOptions, cmd: Command) => run(cmd, (ctx) => jobs(ctx, opts)));
  program.command('cancel')
    .description('cancel a job')
    .argument('<job>', 'the job\'s id')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => cancel(ctx, id)));
};
