// daemon/log.ts — the daemon's logger: lines to stderr, with `<N>` syslog priority
// prefixes when journald reads stderr (JOURNAL_STREAM set). Everyone in daemon/ may use it.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const PRIORITY: Record<Level, number> = { debug: 7, info: 6, warn: 4, error: 3 };
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let minLevel: Level = (process.env.CAIRN_LOG_LEVEL as Level) in ORDER
  ? (process.env.CAIRN_LOG_LEVEL as Level) : 'info';
const journald = Boolean(process.env.JOURNAL_STREAM);

export function setLogLevel(level: Level): void {
  minLevel = level;
}

function write(level: Level, scope: string, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[minLevel]) return;
  const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
  const prefix = journald ? `<${PRIORITY[level]}>` : `${new Date().toISOString()} ${level.padEnd(5)} `;
  process.stderr.write(`${prefix}[${scope}] ${message}${extra}\n`);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
  };
}
