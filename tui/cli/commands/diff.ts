// tui/cli/commands/diff.ts — `cairn diff A B [--path P] [--path-b P] [--no-recursive]
// [--unified]`: what changed between two snapshots (GET /api/snapshots/{a}/diff/{b}, every
// page), one line per change as restic prints them (`+` added, `-` removed, `M` modified,
// `U` metadata only), then the totals; `--unified` adds the unified diff of a text file.
import type { Command } from 'commander';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type DiffItemJson, type DiffResult } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { formatBytes, printable } from '../format.js';

export interface DiffOptions {
  path?: string;
  pathB?: string;
  recursive?: boolean;
  unified?: boolean;
}

const MARK: Record<DiffItemJson['change'], string> = { added: '+', removed: '-', modified: 'M', metadata: 'U' };

/** Every page of a diff as one answer (`has_next` false). */
export function fetchDiff(ctx: CliContext, a: string, b: string, o: DiffOptions): Promise<DiffResult> {
  return allPages((offset) => ctx.client().request('snapshots.diff', {
    params: { a, b },
    query: {
      path: o.path, path_b: o.pathB, recursive: o.recursive === false ? false : undefined,
      highlight: o.unified === true ? true : undefined, offset, limit: MAX_LIMIT,
    },
  }));
}

export async function diff(ctx: CliContext, a: string, b: string, o: DiffOptions): Promise<number> {
  const r = await fetchDiff(ctx, a, b, o);
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  for (const it of r.items) ctx.print(`${MARK[it.change]}  ${printable(it.path)}${it.type === 'directory' ? '/' : ''}`);
  const s = r.summary;
  if (r.items.length > 0) ctx.print();
  ctx.print(`${s.added} added, ${s.removed} removed, ${s.modified} modified, ${s.metadata} with new metadata`
    + ` (+${formatBytes(s.bytes_added)}, -${formatBytes(s.bytes_removed)})`);
  if (r.unified) {
    ctx.print();
    ctx.io.stdout.write(r.unified.endsWith('\n') ? r.unified : `${r.unified}\n`);
  } else if (r.note) ctx.warn(`cairn: ${r.note}`);
  return 0;
}

export const registerDiff: Register = (program, run) => {
  program.command('diff')
    .description('show what changed between two snapshots (each an id, a prefix or latest)')
    .argument('<a>', 'the older snapshot')
    .argument('<b>', 'the newer snapshot')
    .option('--path <path>', 'compare this path in both (default /)')
    .option('--path-b <path>', 'compare --path in A with this path in B')
    .option('--no-recursive', 'one level: a directory with changes below it is one line')
    .option('--unified', 'with a text file path, print the unified diff of its two versions')
    .action((a: string, b: string, opts: DiffOptions, cmd: Command) => run(cmd, (ctx) => diff(ctx, a, b, opts)));
};
