// daemon/jobs — long operations as jobs (API.md "Jobs").
//   start(spec, run) → pending → admission (per kind+repository limits, backup keys,
//   exclusive jobs) → running: run({signal, onProgress, log}) → success | failed |
//   canceled → persisted in <state>/jobs/, job.* events, waiters and SSE listeners told
// Progress is throttled per job; jobs, their logs and how to retry them survive a restart
// (interrupted ones become failed). Each job records its owner (the API key that started it).
// Called by the API (runAsJob, /api/jobs routes) and daemon.ts; engines never see jobs.
export { JobManager } from './job-manager.js';
export { jobsDir, isEnded, STOPPED_MESSAGE } from './states.js';
export type { JobSpec, JobContext, JobRun, JobListener, JobManagerOptions, JobQuery, JobReplay } from './types.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { DEFAULT_LIMITS, admit, backupKey } from './admission.js';
export type { Slot } from './admission.js';
export { emptyProgress, nextProgress } from './progress.js';
export type { JobProgressUpdate } from './progress.js';
