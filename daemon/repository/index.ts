// daemon/repository — the only module that combines storage, pack, chunk-index, crypto and
// the worker pool. Repository: authenticated reads of units, chunks, trees and snapshot
// objects. Session: one backup's writing (dedup → groups → packers → commit). Trash:
// forgetting snapshots and undeleting them, crash-safe. Registry: the repositories a
// daemon serves. Called by snapshot/, reconcile/, the engines and
// daemon.ts.
export { Repository } from './repository.js';
export type { UnitRef } from './repository.js';
export { Session } from './session.js';
export { chunkRowsOf } from './packer.js';
export type { SessionStats } from './session.js';
export { trashSnapshot, untrashSnapshot, listTrash, resolveTrashed, snapshotObject, trashObject } from './trash.js';
export type { TrashedRow, TrashedSnapshot } from './trash.js';
export { Registry } from './registry.js';
export type { RepoEntry, AddOptions, Prepare } from './registry.js';
export { initStorage, isRepository, openRepository, probeRepository } from './open.js';
export { encodeRecord, decodeRecord, nowTime, timeToMs } from './records.js';
export type { SnapshotRecord, SnapshotRow, SnapshotStats, Time } from './records.js';
