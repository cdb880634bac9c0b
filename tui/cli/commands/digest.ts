// tui/cli/commands/digest.ts — `cairn digest SNAPSHOT:PATH [--algorithm A]`: a file's
// digest computed by cairnd from the snapshot (GET /api/files/digest/{ref}), printed as
// `sha256sum` prints it (`DIGEST  PATH`), or the API's JSON.
import { Option, type Command } from 'commander';
import { DIGEST_ALGORITHMS } from '../../../shared/vocabulary.js';
import { type DigestAlgorithm } from '../../../shared/schemas/index.js';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { printable } from '../format.js';

export function algorithmOf(text: string): DigestAlgorithm {
  const a = text.toUpperCase().replace(/-/g, '');
  const found = DIGEST_ALGORITHMS.find((x) => x === a || (x === 'BLAKE2B' && a === 'BLAKE2B512'));
  if (!found) throw new UsageError(`--algorithm: "${text}" is not one of ${DIGEST_ALGORITHMS.join(', ')}`);
  return found;
}

export async function digest(ctx: CliContext, arg: string, opts: { algorithm: string }): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  if (path === null) throw new UsageError(`${arg}: name the file, as SNAPSHOT:PATH`);
  const r = await ctx.client().request('files.digest', {
    params: { '*': formatSnapshotRef(snapshot, path) }, query: { algorithm: algorithmOf(opts.algorithm) },
  });
  if (ctx.json) ctx.printJson(r);
  else ctx.print(`${r.digest}  ${printable(r.path)}`);
  return EXIT.ok;
}

export const registerDigest: Register = (program, run) => {
  program.command('digest')
    .description('the digest of a file of a snapshot, computed by cairnd')
    .argument('<snapshot:path>', 'e.g. latest:/etc/hosts')
    .addOption(new Option('--algorithm <name>', `${DIGEST_ALGORITHMS.join(', ')} (BLAKE2B is BLAKE2b-512)`).default('SHA256'))
    .action((arg: string, opts: { algorithm: string }, cmd: Command) => run(cmd, (ctx) => digest(ctx, arg, opts)));
};
