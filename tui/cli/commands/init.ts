// tui/cli/commands/init.ts — `cairn init LOCATION`: create a repository and register it
// (POST /api/repository/create). The passphrase comes from a file, CAIRN_PASSPHRASE or a
// prompt (../passphrase.ts).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RepositoryCreateBodyJson } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { readNewPassphrase } from '../passphrase.js';

interface InitOptions {
  name?: string;
  default?: boolean;
  passphraseFile?: string;
}

/** A bare or `fs:` path made absolute against `cwd`; other schemes are left alone. */
export function absoluteLocation(location: string, cwd: string): string {
  if (location.startsWith('fs:')) return `fs:${resolve(cwd, location.slice(3))}`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(location)) return location;
  return resolve(cwd, location);
}

export async function init(ctx: CliContext, location: string, opts: InitOptions): Promise<number> {
  const client = ctx.client();
  const passphrase = await readNewPassphrase(ctx.io, opts.passphraseFile);
  const body: RepositoryCreateBodyJson = {
    location: absoluteLocation(location, ctx.io.cwd), passphrase,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.default ? { default: true } : {}),
  };
  const result = await client.request('repository.create', { body });
  if (ctx.json) ctx.printJson(result);
  else ctx.print(`created repository ${result.name} (${result.repository_id}) at ${result.location}`);
  return 0;
}

export const registerInit: Register = (program, run) => {
  program.command('init')
    .description('create a repository and register it with cairnd')
    .argument('<location>', 'fs:/path, or a directory')
    .option('--name <name>', 'its name in cairnd (default: the directory\'s name)')
    .option('--default', 'make it the default repository')
    .option('--passphrase-file <file>', 'read the passphrase from the first line of FILE')
    .action((location: string, opts: InitOptions, cmd: Command) => run(cmd, (ctx) => init(ctx, location, opts)));
};
