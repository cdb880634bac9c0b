// `cairn completion bash` (tui/cli/commands/completion.ts): the script, sourced by a real
// bash, registers a completion for `cairn` that completes commands, subcommands, options
// and option choices as the commander program defines them.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { tmpDir } from '../../../helpers/tmp.js';
import { runCairn } from '../../fake-cairnd.js';

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['--norc', '--noprofile', '-c', script], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

t.test('cairn completion bash', async (t) => {
  const dir = tmpDir(t);
  const r = await runCairn(['completion', 'bash'], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stderr, '');
  const file = join(dir, 'cairn.bash');
  writeFileSync(file, r.stdout);

  // Completes the words `line` as bash would after TAB (the last word is the one typed).
  const complete = async (line: string[]): Promise<string[]> => {
    const words = line.map((w) => `'${w}'`).join(' ');
    const out = await bash(`source ${file} && fn=$(complete -p cairn | sed -E 's/.*-F ([^ ]+) .*/\\1/') `
      + `&& COMP_WORDS=(${words}) && COMP_CWORD=${line.length - 1} && $fn && printf '%s\\n' "\${COMPREPLY[@]}"`);
    t.equal(out.code, 0, out.stderr);
    return out.stdout.split('\n').filter((s) => s !== '');
  };

  t.test('source <(cairn completion bash) registers it', async (t) => {
    const out = await bash(`source <(node ${join(process.cwd(), 'bin', 'cairn.cjs')} completion bash) && complete -p cairn`);
    t.equal(out.code, 0, out.stderr);
    t.match(out.stdout, /^complete -o default -F \S+ cairn\n$/);
  });

  t.test('commands and subcommands', async (t) => {
    t.same(await complete(['cairn', 'sn']), ['snapshots']);
    const top = await complete(['cairn', '']);
    for (const c of ['backup', 'snapshots', 'jobs', 'keys', 'diff', 'completion']) t.ok(top.includes(c), c);
    t.notOk(top.includes('help'), 'commander\'s implicit help command is left out');
    const jobs = await complete(['cairn', 'jobs', '']);
    for (const c of ['logs', 'retry', 'wait']) t.ok(jobs.includes(c), `jobs ${c}`);
    t.notOk(jobs.includes('backup'), 'only the subcommands of jobs');
    // Global options and their values are skipped while finding the command.
    t.same(await complete(['cairn', '--socket', '/x.sock', '--json', 'jobs', 'lo']), ['logs']);
  });

  t.test('options and choices', async (t) => {
    const opts = await complete(['cairn', 'history', '--']);
    for (const o of ['--status', '--kind', '--limit', '--json', '--socket', '--help']) t.ok(opts.includes(o), o);
    t.notOk(opts.includes('--target'), 'not another command\'s option');
    t.same((await complete(['cairn', 'history', '--status', ''])).sort(), ['canceled', 'failed', 'success'].sort());
    t.same(await complete(['cairn', 'completion', 'ba']), [], 'positional arguments fall back to bash\'s default');
    t.same(await complete(['cairn', '--socket', '']), [], 'a free value: files, by -o default');
  });
});
