// tui/cli/passphrase.ts — the passphrase of a new repository, from (in order) a file's
// first line, CAIRN_PASSPHRASE, or a prompt on a terminal without echo (asked twice for a
// new repository); otherwise a one-line error. Used by `cairn init` and `cairn repos`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo } from './context.js';
import { CliError, InterruptedError } from './errors.js';

/** Reads one line from a terminal in raw mode, echoing nothing. Ctrl-C interrupts,
 *  Ctrl-D on an empty line ends with an error. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin;
  return new Promise((resolvePromise, reject) => {
    let value = '';
    const finish = (err: Error | null): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new InterruptedError());
        if (ch === '\u0004') {
          if (value === '') return finish(new CliError('no passphrase given'));
          return finish(null);
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    io.stderr.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The passphrase to create a repository with. */
export async function readNewPassphrase(io: CliIo, file: string | undefined): Promise<string> {
  return readPassphrase(io, file, { confirm: true });
}

/** A passphrase from a file's first line, CAIRN_PASSPHRASE, or a prompt on a terminal
 *  (asked twice with `confirm`, for a new repository). */
export async function readPassphrase(io: CliIo, file: string | undefined, opts: { confirm: boolean }): Promise<string> {
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read passphrase file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const first = text.split(/\r?\n/, 1)[0] ?? '';
    if (first === '') throw new CliError(`passphrase file ${path} is empty`);
    return first;
  }
  if (io.env.CAIRN_PASSPHRASE) return io.env.CAIRN_PASSPHRASE;
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) {
    throw new CliError('no passphrase: use --passphrase-file FILE or CAIRN_PASSPHRASE (not asking: no terminal)');
  }
  const first = await promptHidden(io, opts.confirm ? 'new repository passphrase: ' : 'repository passphrase: ');
  if (first === '') throw new CliError('no passphrase given');
  if (!opts.confirm) return first;
  const again = await promptHidden(io, 'repeat the passphrase: ');
  if (again !== first) throw new CliError('the passphrases do not match');
  return first;
}
