// tui/cli/commands/keys.ts — `cairn keys [list]`, `cairn keys create NAME --role ROLE
// [--expires T] [--path P]...`, `cairn keys delete ID`, `cairn keys rotate ID` (API.md
// "Access": GET/POST /api/keys, DELETE /api/keys/{id}, POST /api/keys/{id}/rotate).
// `--json` prints the API's objects (`create` and `rotate`: `{key, token}`); otherwise a
// table, and the token once with a warning that it is not shown again.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { KEY_ROLES } from '../../../shared/vocabulary.js';
import { type Key, type KeyWithToken } from '../../../shared/schemas/index.js';
import { collect, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatTable, formatTime, printable } from '../format.js';

interface CreateOptions {
  role: (typeof KEY_ROLES)[number];
  expires?: string;
  path?: string[];
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--expires`: a duration from now (`90m`, `12h`, `30d`, `2w`) or a time the daemon parses
 *  (RFC 3339, or ISO 8601 without an offset as UTC). */
export function expiresAt(text: string, now = Date.now()): string {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (m) return new Date(now + Number(m[1]) * UNIT_MS[m[2]!]!).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    throw new UsageError(`--expires ${text}: a duration like 30d, 12h, 90m, 2w, or a time like 2026-12-31T00:00:00Z`);
  }
  return text.trim();
}

function keyRow(k: Key): string[] {
  return [
    k.id, printable(k.name), k.role, k.paths.length > 0 ? k.paths.map(printable).join(',') : '-',
    formatTime(k.created_at), k.expires_at ? formatTime(k.expires_at) : 'never', k.last_used_at ? formatTime(k.last_used_at) : '-',
  ];
}

function printKeys(ctx: CliContext, keys: Key[]): void {
  const header = ['ID', 'Name', 'Role', 'Paths', 'Created', 'Expires', 'Last used'];
  for (const line of formatTable(header, keys.map(keyRow))) ctx.print(line);
}

function printToken(ctx: CliContext, r: KeyWithToken, what: string): void {
  printKeys(ctx, [r.key]);
  ctx.print();
  ctx.print(`${what}; its token (shown only this once):`);
  ctx.print(r.token);
}

export async function keysList(ctx: CliContext): Promise<number> {
  const list = await ctx.client().request('keys.list');
  if (ctx.json) ctx.printJson(list);
  else if (list.items.length === 0) ctx.print('no keys (create one with: cairn keys create NAME --role ROLE)');
  else printKeys(ctx, list.items);
  return 0;
}

export async function keysCreate(ctx: CliContext, name: string, opts: CreateOptions): Promise<number> {
  const body = {
    name, role: opts.role,
    ...(opts.expires !== undefined ? { expires_at: expiresAt(opts.expires) } : {}),
    ...(opts.path && opts.path.length > 0 ? { paths: opts.path.map((p) => resolve(ctx.io.cwd, p)) } : {}),
  };
  const r = await ctx.client().request('keys.create', { body });
  if (ctx.json) ctx.printJson(r);
  else printToken(ctx, r, `key ${r.key.id} created`);
  return 0;
}

export async function keysDelete(ctx: CliContext, id: string): Promise<number> {
  const r = await ctx.client().request('keys.delete', { params: { id } });
  if (ctx.json) ctx.printJson(r);
  else ctx.print(`key ${r.key.id} (${printable(r.key.name)}) deleted`);
  return 0;
}

export async function keysRotate(ctx: CliContext, id: string): Promise<number> {
  const r = await ctx.client().request('keys.rotate', { params: { id } });
  if (ctx.json) ctx.printJson(r);
  else printToken(ctx, r, `key ${r.key.id} rotated: the old token no longer works`);
  return 0;
}

export const registerKeys: Register = (program, run) => {
  const keys = program.command('keys')
    .description('API keys for TCP clients and other local users (admin only)');
  keys.command('list', { isDefault: true })
    .description('list the keys (local-admin is $STATE/admin.token)')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => keysList(ctx)));
  keys.command('create')
    .description('create a key; its token is printed once')
    .argument('<name>', 'a name for the key (unique)')
    .addOption(new Option('--role <role>', 'what the key may do').choices(KEY_ROLES).makeOptionMandatory())
    .option('--expires <time>', 'when it stops working: 30d, 12h, 90m, 2w, or an RFC 3339 time')
    .option('--path <path>', 'an allowed root for backup and restore (repeatable)', collect)
    .action((name: string, opts: CreateOptions, cmd: Command) => run(cmd, (ctx) => keysCreate(ctx, name, opts)));
  keys.command('delete')
    .description('delete a key (deleting local-admin deletes $STATE/admin.token)')
    .argument('<id>', 'the key\'s id')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => keysDelete(ctx, id)));
  keys.command('rotate')
    .description('give a key a new token; the old one stops working')
    .argument('<id>', 'the key\'s id')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => keysRotate(ctx, id)));
};
