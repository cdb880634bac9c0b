// daemon/api/files/highlight-task.ts — the messages between highlighter.ts and its thread
// (highlight-worker.ts).

export interface HighlightTask {
  /** `html`: highlight.js markup (every text node escaped); `ansi`: terminal colours. */
  kind: 'html' | 'ansi';
  text: string;
  /** A highlight.js language name or alias, or null. */
  language: string | null;
  /** When the language is null or unknown: guess it (costly: small inputs only), else
   *  the text comes back plain (escaped for html). */
  auto: boolean;
}

export interface HighlightResult {
  value: string;
  /** The language used, null when none was. */
  language: string | null;
}
