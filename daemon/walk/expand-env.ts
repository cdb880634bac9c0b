// daemon/walk/expand-env.ts — restic's environment expansion of exclude patterns: Go's
// os.Expand with `$$` meaning a literal `$` and unset variables expanding to "".
//   $NAME, ${NAME}, ${x} for a special x (*#$@!?-0-9), $x likewise; "${}" and an unclosed
//   "${" are dropped; a `$` followed by nothing nameable stays.

export type Env = Record<string, string | undefined>;

function isSpecial(c: string): boolean {
  return '*#$@!?-0123456789'.includes(c);
}

function isAlphaNum(c: string): boolean {
  return c === '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** Go's getShellName: the name at the start of s and how many characters it took. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isSpecial(s[1]!) && s[2] === '}') return [s[1]!, 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isSpecial(s[0]!)) return [s[0]!, 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

/** Expands `$VAR` and `${VAR}` in s from env, restic's way (`$$` is a literal `$`). */
export function expandEnv(s: string, env: Env = process.env): string {
  let out = '';
  let from = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(from, j);
    const [name, w] = shellName(s.slice(j + 1));
    if (name === '' && w > 0) {
      // bad syntax: the characters are dropped
    } else if (name === '') {
      out += '$';
    } else {
      out += name === '$' ? '$' : env[name] ?? '';
    }
    j += w;
    from = j + 1;
  }
  return out + s.slice(from);
}
