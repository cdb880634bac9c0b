// daemon/api/files/render-html.ts — the reader's `?render=` pages: a file shown as HTML.
//   text        its text, escaped, in a bare <pre>
//   text_styled the same in a styled page (header, wrapping, light/dark)
//   code        highlighted by highlight.js (off the event loop), in the styled page
//   auto        code when the file name names a language highlight.js knows, else
//               text_styled; a binary file (a NUL in its first 8000 bytes) gets a note only
// Caps: the page shows at most RENDER_CAP bytes of the file (with a note saying so), code
// is highlighted up to HIGHLIGHT_CAP (beyond it, shown plain), and a language is guessed
// from the contents only up to AUTO_DETECT_CAP. Every byte of the file and its name is
// escaped; the page has no script. Called by routes/files.ts.
import type { RenderMode } from '../../../shared/schemas/index.js';
import { highlight, languageOf } from './highlighter.js';

/** Bytes of a file shown in a page. */
export const RENDER_CAP = 1 << 20;
/** Bytes of code highlighted (highlight.js needs ~3 s per MiB here, in its own thread). */
export const HIGHLIGHT_CAP = 256 << 10;
/** Bytes below which the language is guessed from the contents when the name does not tell. */
export const AUTO_DETECT_CAP = 32 << 10;

/** The page's Content-Security-Policy: inline styles only, no script, its own origin. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--dim:#59636e;--k:#cf222e;--s:#0a3069;--c:#6e7781;--n:#0550ae;--t:#8250df;--a:#953800}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--dim:#9198a1;--k:#ff7b72;--s:#a5d6ff;--c:#8b949e;--n:#79c0ff;--t:#d2a8ff;--a:#ffa657}}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
header{padding:8px 16px;border-bottom:1px solid var(--dim);color:var(--dim);font-family:system-ui,sans-serif}
.note{padding:6px 16px;color:var(--a);font-family:system-ui,sans-serif}
pre{margin:0;padding:12px 16px;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4}
.hljs-keyword,.hljs-selector-tag,.hljs-literal,.hljs-doctag{color:var(--k)}
.hljs-string,.hljs-regexp,.hljs-addition,.hljs-meta .hljs-string{color:var(--s)}
.hljs-comment,.hljs-quote{color:var(--c);font-style:italic}
.hljs-number,.hljs-built_in,.hljs-attr,.hljs-variable,.hljs-template-variable,.hljs-symbol,.hljs-bullet{color:var(--n)}
.hljs-title,.hljs-section,.hljs-type,.hljs-name,.hljs-selector-id,.hljs-selector-class{color:var(--t)}
.hljs-meta,.hljs-params,.hljs-attribute,.hljs-deletion{color:var(--a)}
.hljs-emphasis{font-style:italic}.hljs-strong{font-weight:bold}`;

export interface RenderInput {
  /** The file's name and path as text (escaped here). */
  name: string;
  path: string;
  size: number;
  /** The file's first bytes, at most RENDER_CAP. */
  bytes: Buffer;
  mode: RenderMode;
}

const isBinary = (b: Buffer): boolean => b.subarray(0, 8000).includes(0);

function page(i: RenderInput, body: string, info: string, notes: string[]): string {
  const title = escapeHtml(i.name);
  return `<!doctype html>\n<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${title}</title><style>${STYLE}</style></head><body>`
    + `<header>${escapeHtml(i.path)} · ${i.size} bytes${info ? ` · ${escapeHtml(info)}` : ''}</header>`
    + notes.map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('')
    + (body ? `<pre><code class="hljs">${body}</code></pre>` : '') + '</body></html>\n';
}

export async function renderPage(i: RenderInput): Promise<string> {
  const text = i.bytes.toString('utf8');
  const notes: string[] = [];
  if (i.size > i.bytes.length) notes.push(`Showing the first ${i.bytes.length} of ${i.size} bytes.`);
  if (i.mode === 'text') {
    return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(i.name)}</title></head>`
      + `<body><pre>${escapeHtml(text)}</pre></body></html>\n`;
  }
  const named = languageOf(i.name);
  let mode: 'code' | 'text_styled' = i.mode === 'code' || i.mode === 'highlight' ? 'code' : 'text_styled';
  if (i.mode === 'auto') {
    if (isBinary(i.bytes)) return page(i, '', 'binary', ['A binary file: download it to see its contents.']);
    if (named !== null) mode = 'code';
  }
  if (mode === 'text_styled') return page(i, escapeHtml(text), '', notes);
  if (i.bytes.length > HIGHLIGHT_CAP) {
    notes.push(`Not highlighted: larger than ${HIGHLIGHT_CAP} bytes.`);
    return page(i, escapeHtml(text), '', notes);
  }
  const r = await highlight({ kind: 'html', text, language: named, auto: i.bytes.length <= AUTO_DETECT_CAP });
  if (!r) {
    notes.push('Not highlighted: highlighting took too long.');
    return page(i, escapeHtml(text), '', notes);
  }
  return page(i, r.value, r.language ?? 'plain text', notes);
}
