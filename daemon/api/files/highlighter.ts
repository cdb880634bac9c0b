// daemon/api/files/highlighter.ts — syntax highlighting off the event loop: one thread
// (piscina, started on first use, gone after 30 s idle) runs highlight-worker.ts. Each call
// has a time limit; on timeout the thread is terminated. A call that times out, fails or
// finds the queue full answers null: the caller shows the text plain. Also the language a
// file name suggests. Called by render-html.ts and cat-stream.ts.
import { Piscina } from 'piscina';
import { logger } from '../../log.js';
import type { HighlightResult, HighlightTask } from './highlight-task.js';

const log = logger('highlight');

/** ms a highlighting may take before it is abandoned (and its thread terminated). */
export const HIGHLIGHT_TIMEOUT_MS = 10_000;
/** Highlightings waiting beyond the running one; more answer plain. */
const MAX_QUEUE = 16;

let pool: Piscina | null = null;

function threads(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./highlight-worker.js', import.meta.url).href,
    minThreads: 0, maxThreads: 1, idleTimeout: 30_000, maxQueue: MAX_QUEUE,
    resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 },
  });
  return pool;
}

export async function highlight(t: HighlightTask, timeoutMs = HIGHLIGHT_TIMEOUT_MS): Promise<HighlightResult | null> {
  try {
    return (await threads().run(t, { signal: AbortSignal.timeout(timeoutMs) })) as HighlightResult;
  } catch (e) {
    log.warn('highlighting abandoned; answering plain text', { error: (e as Error).message, bytes: t.text.length });
    return null;
  }
}

/** Names whose language is not their extension. */
const BY_NAME: Record<string, string> = {
  makefile: 'makefile', gnumakefile: 'makefile', dockerfile: 'dockerfile', 'cmakelists.txt': 'cmake',
  gemfile: 'ruby', rakefile: 'ruby', '.bashrc': 'bash', '.profile': 'bash', '.zshrc': 'bash',
};

/** The highlight.js alias a file name suggests (its extension, lowercased), or null. */
export function languageOf(name: string): string | null {
  const lower = name.toLowerCase();
  if (BY_NAME[lower]) return BY_NAME[lower];
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 || dot === lower.length - 1) return null;
  return lower.slice(dot + 1);
}
