// Helpers for the walk tests: fixture trees built from data, events rendered as lines,
// and a check that an event stream describes one well-formed tree.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { compileExcludes, scanTree, type ScanEvent, type ScanNode, type ScanOptions } from '../../../daemon/walk/index.js';

/** A tree: file contents (string), a directory (nested Spec), or a symlink. Names are
 *  strings, or `hex:…` for raw bytes. */
export type Spec = { [name: string]: string | Spec | { symlink: string | Buffer } };

export function nameBytes(name: string): Buffer {
  return name.startsWith('hex:') ? Buffer.from(name.slice(4), 'hex') : Buffer.from(name);
}

export function join(dir: Buffer | string, name: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(dir), Buffer.from('/'), Buffer.from(name)]);
}

export function build(dir: Buffer | string, spec: Spec): void {
  for (const [name, value] of Object.entries(spec)) {
    const path = join(dir, nameBytes(name));
    if (typeof value === 'string') writeFileSync(path, value);
    else if ('symlink' in value && (typeof value.symlink === 'string' || Buffer.isBuffer(value.symlink))) {
      symlinkSync(Buffer.from(value.symlink), path);
    } else {
      mkdirSync(path);
      build(path, value as Spec);
    }
  }
}

/** Raw bytes shown as text, bytes outside printable ASCII as \xNN. */
export function show(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return s;
}

/** One line per event, paths shown relative to `base` when below it. */
export function render(events: ScanEvent[], base?: string): string[] {
  const rel = (p: Buffer): string => {
    const s = show(p);
    return base && s.startsWith(base + '/') ? s.slice(base.length + 1) : base && s === base ? '.' : s;
  };
  return events.map((ev) => {
    switch (ev.t) {
      case 'dir': return `dir ${rel(ev.node.path)}${ev.node.error ? ' !' : ''}`;
      case 'entry': return `entry ${rel(ev.node.path)} type=${ev.node.type}${ev.node.error ? ' !' : ''}`;
      case 'end': return `end ${rel(ev.path)}`;
      default: return `${ev.t} ${rel(ev.path)}: ${ev.message}`;
    }
  });
}

export function scanAll(opts: Partial<Omit<ScanOptions, 'roots'>> & { roots: Array<Buffer | string> }, env: Record<string, string> = {}): ScanEvent[] {
  const full: ScanOptions = {
    excludes: [], excludeCaches: false, oneFileSystem: false,
    ...opts, roots: opts.roots.map((r) => Buffer.from(r)),
  };
  return [...scanTree(full, compileExcludes(full.excludes, env))];
}

/** Problems with the tree shape: unbalanced dir/end, an entry outside its directory,
 *  names out of byte order, a path that is not parent + '/' + name. */
export function treeProblems(events: ScanEvent[]): string[] {
  const problems: string[] = [];
  const stack: Array<{ path: Buffer; last: Buffer | null }> = [];
  const parentOf = (p: Buffer): Buffer => {
    const i = p.lastIndexOf(0x2f);
    return i <= 0 ? Buffer.from('/') : p.subarray(0, i);
  };
  for (const ev of events) {
    if (ev.t === 'note' || ev.t === 'error') continue;
    if (ev.t === 'end') {
      const top = stack.pop();
      if (!top || !top.path.equals(ev.path)) problems.push(`end ${show(ev.path)} does not close ${top ? show(top.path) : 'anything'}`);
      continue;
    }
    const { path, name } = ev.node;
    if (stack.length === 0) {
      if (ev.t !== 'dir' || show(path) !== '/') problems.push(`the tree does not start at /: ${show(path)}`);
    } else {
      const top = stack[stack.length - 1]!;
      if (!parentOf(path).equals(top.path)) problems.push(`${show(path)} is not inside ${show(top.path)}`);
      if (!join(top.path.length === 1 ? '' : top.path, name).equals(path)) problems.push(`${show(path)} does not end in its name`);
      if (top.last && Buffer.compare(top.last, name) >= 0) problems.push(`${show(path)} is out of order`);
      top.last = name;
    }
    if (ev.t === 'dir') stack.push({ path, last: null });
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.map((s) => show(s.path)).join(', ')}`);
  return problems;
}

/** The lines for the directories above `base` (/, /tmp, …) and their ends. */
export function ancestors(base: string): { open: string[]; close: string[] } {
  const parts = base.split('/').filter(Boolean);
  const paths = ['/', ...parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'))];
  return { open: paths.map((p) => `dir ${p === base ? '.' : p}`), close: paths.reverse().map((p) => `end ${p === base ? '.' : p}`) };
}

export function nodeAt(events: ScanEvent[], path: Buffer | string): ScanNode {
  const want = Buffer.from(path);
  for (const ev of events) if ((ev.t === 'dir' || ev.t === 'entry') && ev.node.path.equals(want)) return ev.node;
  throw new Error(`no node for ${show(want)}`);
}
