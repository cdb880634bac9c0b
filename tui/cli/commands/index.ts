// tui/cli/commands — one file per `cairn` command: its options (registered on the
// commander program) and its body (request → print → exit code). program.ts registers
// COMMANDS in this order, which is the order of `cairn --help`.
import type { Register } from '../command.js';
import { registerBackup } from './backup.js';
import { registerCheck } from './check.js';
import { registerInit } from './init.js';
import { registerJobs } from './jobs.js';
import { registerLs } from './ls.js';
import { registerRepair } from './repair.js';
import { registerRepos } from './repos.js';
import { registerRestore } from './restore.js';
import { registerSnapshots } from './snapshots.js';

export const COMMANDS: readonly Register[] = [
  registerInit, registerRepos, registerBackup, registerSnapshots, registerLs, registerRestore,
  registerCheck, registerRepair, registerJobs,
];

export { parseExcludeFile } from './backup.js';
export { restoreBody } from './restore.js';
export { absoluteLocation } from './init.js';
