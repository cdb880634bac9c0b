// tui/cli/commands/repos.ts — `cairn repos`: the repositories cairnd knows (API.md
// "Repositories"):
//   repos [list]                       GET /api/repositories (* = the default)
//   repos add LOCATION                 POST /api/repositories (creates it when empty)
//   repos rename NAME NEW              PUT /api/repositories/{name} {name}
//   repos default NAME                 PUT … {default: true}
//   repos set-passphrase NAME          PUT … {passphrase} (cairnd checks that it unlocks)
//   repos forget NAME                  DELETE /api/repositories/{name} (never its data)
//   repos test NAME                    POST /api/repositories/{name}/test; exit 1 when not ok
// Passphrases come from --passphrase-file, CAIRN_PASSPHRASE or a prompt (../passphrase.ts).
import type { Command } from 'commander';
import type { RepositoryAddBodyJson, RepositoryEntry } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { formatTable, printable } from '../format.js';
import { readPassphrase } from '../passphrase.js';
import { absoluteLocation } from './init.js';

export async function repos(ctx: CliContext): Promise<number> {
  const list = await ctx.client().request('repositories.list');
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  if (list.items.length === 0) {
    ctx.print('no repositories (create one with: cairn init LOCATION)');
    return 0;
  }
  const rows = list.items.map((r) => [r.default ? '*' : '', printable(r.name), printable(r.location)]);
  for (const line of formatTable(['', 'Name', 'Location'], rows)) ctx.print(line);
  return 0;
}

function done(ctx: CliContext, entry: RepositoryEntry, what: string): number {
  if (ctx.json) ctx.printJson(entry);
  else ctx.print(`${what} ${printable(entry.name)} (${printable(entry.location)})${entry.default ? ', the default' : ''}`);
  return EXIT.ok;
}

interface AddOptions {
  name?: string;
  default?: boolean;
  create: boolean;
  passphraseFile?: string;
}

export async function add(ctx: CliContext, location: string, opts: AddOptions): Promise<number> {
  const client = ctx.client();
  const passphrase = await readPassphrase(ctx.io, opts.passphraseFile, { confirm: opts.create });
  const body: RepositoryAddBodyJson = {
    location: absoluteLocation(location, ctx.io.cwd), passphrase, create: opts.create,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.default ? { default: true } : {}),
  };
  return done(ctx, await client.request('repositories.add', { body }), 'registered');
}

export async function rename(ctx: CliContext, name: string, to: string): Promise<number> {
  return done(ctx, await ctx.client().request('repositories.update', { params: { name }, body: { name: to } }), 'renamed to');
}

export async function makeDefault(ctx: CliContext, name: string): Promise<number> {
  return done(ctx, await ctx.client().request('repositories.update', { params: { name }, body: { default: true } }), 'the default is now');
}

export async function setPassphrase(ctx: CliContext, name: string, opts: { passphraseFile?: string }): Promise<number> {
  const passphrase = await readPassphrase(ctx.io, opts.passphraseFile, { confirm: false });
  return done(ctx, await ctx.client().request('repositories.update', { params: { name }, body: { passphrase } }), 'stored a new passphrase for');
}

export async function forget(ctx: CliContext, name: string): Promise<number> {
  const entry = await ctx.client().request('repositories.delete', { params: { name } });
  if (ctx.json) ctx.printJson(entry);
  else ctx.print(`forgot ${printable(entry.name)}; its data stays at ${printable(entry.location)}`);
  return EXIT.ok;
}

export async function test(ctx: CliContext, name: string): Promise<number> {
  const r = await ctx.client().request('repositories.test', { params: { name } });
  if (ctx.json) ctx.printJson(r);
  else if (r.ok) ctx.print(`${printable(name)}: ok (${r.latency_ms.toFixed(1)} ms)`);
  else ctx.warn(`${printable(name)}: ${printable(r.error ?? 'failed')} (${r.latency_ms.toFixed(1)} ms)`);
  return r.ok ? EXIT.ok : EXIT.error;
}

export const registerRepos: Register = (program, run) => {
  const group = program.command('repos').description('the repositories registered with cairnd (list is the default)');
  group.command('list', { isDefault: true })
    .description('list the repositories (* = the default)')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => repos(ctx)));
  group.command('add')
    .description('register a repository (created when the location is empty)')
    .argument('<location>', 'fs:/path, or a directory')
    .option('--name <name>', 'its name in cairnd (default: the directory\'s name)')
    .option('--default', 'make it the default repository')
    .option('--no-create', 'only open an existing repository')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of FILE')
    .action((location: string, opts: AddOptions, cmd: Command) => run(cmd, (ctx) => add(ctx, location, opts)));
  group.command('rename')
    .description('rename a repository')
    .argument('<name>').argument('<new-name>')
    .action((name: string, to: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => rename(ctx, name, to)));
  group.command('default')
    .description('make a repository the default')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => makeDefault(ctx, name)));
  group.command('set-passphrase')
    .description('replace the passphrase cairnd keeps for a repository (it must unlock it)')
    .argument('<name>')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of FILE')
    .action((name: string, opts: { passphraseFile?: string }, cmd: Command) => run(cmd, (ctx) => setPassphrase(ctx, name, opts)));
  group.command('forget')
    .description('unregister a repository and its stored passphrase (its data stays)')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => forget(ctx, name)));
  group.command('test')
    .description('open and unlock a repository; exit 1 when that fails')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => test(ctx, name)));
};
