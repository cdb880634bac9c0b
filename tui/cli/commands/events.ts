// tui/cli/commands/events.ts — `cairn events`: follows cairnd's event stream (GET
// /api/events) and prints one line per event until Ctrl-C (exit 0) or until cairnd closes
// it (exit 1). With --json each line is `{"event": NAME, "data": {…}}`, the API's data.
import type { Command } from 'commander';
import { ROUTE_INDEX } from '../../../shared/route-index.js';
import { EVENT_NAMES } from '../../../shared/vocabulary.js';
import { type ApiEvent, type EventName, type Job } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { formatTime, printable } from '../format.js';

function jobLine(j: Job): string {
  const pct = j.status === 'running' && j.progress.percent !== null ? ` ${j.progress.percent.toFixed(1)}%` : '';
  const stage = j.status === 'running' && j.progress.stage ? ` [${printable(j.progress.stage)}]` : '';
  const why = j.error ? `: ${printable(j.error.message)}` : '';
  return `${j.kind} ${j.id} ${j.status}${pct}${stage}${why}${j.repository ? ` (${printable(j.repository)})` : ''}`;
}

/** One event as a line for people (without the time); events of later issues (mounts,
 *  schedules) as their JSON. */
export function describeEvent(e: ApiEvent | { event: EventName; data: unknown }): string {
  const known = e as ApiEvent;
  switch (known.event) {
    case 'job.created':
    case 'job.progress':
    case 'job.finished':
      return jobLine(known.data);
    case 'snapshot.created':
      return `${known.data.snapshot_id.slice(0, 8)} in ${printable(known.data.repository)}${known.data.reason === 'undelete' ? ' (undeleted)' : ''}`;
    case 'snapshot.removed':
      return `${known.data.snapshot_ids.map((id) => id.slice(0, 8)).join(' ')} from ${printable(known.data.repository)}`;
    default:
      return printable(JSON.stringify(e.data));
  }
}

const KNOWN = new Set<string>(EVENT_NAMES);

export async function events(ctx: CliContext): Promise<number> {
  const abort = new AbortController();
  const stop = ctx.io.onInterrupt(() => abort.abort());
  try {
    for await (const m of ctx.client().stream(ROUTE_INDEX.events.url, abort.signal)) {
      if (!KNOWN.has(m.event)) continue;
      const e = { event: m.event as EventName, data: JSON.parse(m.data) as unknown };
      if (ctx.json) ctx.io.stdout.write(JSON.stringify(e) + '\n');
      else ctx.print(`${formatTime(new Date().toISOString())}  ${e.event.padEnd(16)}  ${describeEvent(e)}`);
    }
  } catch (err) {
    if (abort.signal.aborted) return EXIT.ok;
    throw err;
  } finally {
    stop();
  }
  if (abort.signal.aborted) return EXIT.ok;
  throw new CliError('cairnd closed the event stream');
}

export const registerEvents: Register = (program, run) => {
  program.command('events')
    .description('follow cairnd\'s events (jobs, snapshots), one line each, until Ctrl-C')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => events(ctx)));
};
