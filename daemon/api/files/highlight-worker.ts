// daemon/api/files/highlight-worker.ts — the code of the highlighting thread (piscina's
// filename, see highlighter.ts): highlight.js to HTML for the reader's `render=code`,
// emphasize (ANSI) for `files/cat?highlight=true`. Highlighting a large file takes seconds
// of CPU, which must never run on the daemon's event loop. Grammars load on first use.
import type { HighlightTask, HighlightResult } from './highlight-task.js';

type Hljs = typeof import('highlight.js').default;
type Emphasize = ReturnType<typeof import('emphasize').createEmphasize>;

let hljs: Hljs | null = null;
let emphasize: Emphasize | null = null;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function html(t: HighlightTask): Promise<HighlightResult> {
  hljs ??= (await import('highlight.js/lib/common')).default;
  if (t.language && hljs.getLanguage(t.language)) {
    return { value: hljs.highlight(t.text, { language: t.language, ignoreIllegals: true }).value, language: t.language };
  }
  if (!t.auto) return { value: escapeHtml(t.text), language: null };
  const r = hljs.highlightAuto(t.text);
  return { value: r.value, language: r.language ?? null };
}

async function ansi(t: HighlightTask): Promise<HighlightResult> {
  if (!emphasize) {
    const m = await import('emphasize');
    emphasize = m.createEmphasize(m.common);
  }
  if (t.language && emphasize.registered(t.language)) {
    return { value: emphasize.highlight(t.language, t.text).value, language: t.language };
  }
  if (!t.auto) return { value: t.text, language: null };
  const r = emphasize.highlightAuto(t.text);
  return { value: r.value, language: r.language ?? null };
}

export default function run(t: HighlightTask): Promise<HighlightResult> {
  return t.kind === 'html' ? html(t) : ansi(t);
}
