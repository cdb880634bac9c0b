// tui/cli — the `cairn` commands: parse the command line, call cairnd through
// tui/client, print for people (tables, sizes, a progress bar on a terminal) or the
// API's JSON (`--json`), and end with the documented exit code.
//   argv → commander (program.ts) → commands/<name>.ts → ApiClient
//        → long operations: start ?async=true → follow the job's stream → read the job
// Called by tui/main.ts.
export { runCli } from './program.js';
export type { CliIo, CliStream, CliInput, GlobalOptions } from './context.js';
export { EXIT } from './errors.js';
export {
  formatBytes, formatDuration, formatTable, formatTime, printable, progressLine, truncateLeft,
} from './format.js';
export { ProgressBar } from './progress-bar.js';
export type { TerminalOut } from './progress-bar.js';
export { absoluteLocation, parseExcludeFile, restoreBody } from './commands/index.js';
