// daemon/check — the check engine: packs (footer, authenticated trailer), snapshot objects
// and trees read from storage and compared with the index; with read-data, every pack's
// hash and every unit and member re-authenticated and re-hashed (check.ts). One snapshot's
// trees and chunks (check-snapshot.ts). Knows nothing of jobs or HTTP. Called by the API's
// job runners.
export { check } from './check.js';
export type { CheckOptions, CheckResult, CheckError } from './check.js';
export { checkSnapshot } from './check-snapshot.js';
export type { SnapshotCheckOptions, SnapshotCheckResult } from './check-snapshot.js';
