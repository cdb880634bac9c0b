// tui/cli/commands — one file per `cairn` command: its options (registered on the
// commander program) and its body (request → print → exit code). program.ts registers
// COMMANDS in this order, which is the order of `cairn --help`.
import type { Register } from '../command.js';
import { registerBackup } from './backup.js';
import { registerCat } from './cat.js';
import { registerCheck } from './check.js';
import { registerCompletion } from './completion.js';
import { registerDigest } from './digest.js';
import { registerDownload } from './download.js';
import { registerDiff } from './diff.js';
import { registerErrors } from './errors.js';
import { registerFind } from './find.js';
import { registerLocate } from './locate.js';
import { registerVersions } from './versions.js';
import { registerEvents } from './events.js';
import { registerForget } from './forget.js';
import { registerHistory } from './history.js';
import { registerInit } from './init.js';
import { registerJobs } from './jobs.js';
import { registerKeys } from './keys.js';
import { registerLs } from './ls.js';
import { registerMaintenance } from './maintenance.js';
import { registerRepair } from './repair.js';
import { registerRepos } from './repos.js';
import { registerRestore } from './restore.js';
import { registerSnapshots } from './snapshots.js';
import { registerTrash } from './trash.js';
import { registerUndelete } from './undelete.js';

export const COMMANDS: readonly Register[] = [
  registerInit, registerRepos, registerBackup, registerSnapshots, registerLs, registerRestore,
  registerCheck, registerRepair, registerJobs,
  registerForget, registerUndelete, registerTrash, registerMaintenance, registerHistory, registerEvents,
  registerKeys,
  registerCat, registerDownload, registerDigest,
  registerDiff, registerFind, registerLocate, registerVersions, registerErrors,
  registerCompletion,
];

export { parseExcludeFile } from './backup.js';
export { restoreBody } from './restore.js';
export { absoluteLocation } from './init.js';
