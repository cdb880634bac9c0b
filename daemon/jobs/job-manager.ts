// daemon/jobs/job-manager.ts — the job state machine: pending → running → success |
// failed | canceled. Runs each job's `run(ctx)` when admission allows, turns its progress
// into throttled updates and its outcome into state, persists through JobStore and
// publishes job.* events. Each job keeps its owner (the API key that started it) and its
// replay (how to start it again). The clock is injected.
import { randomUUID } from 'node:crypto';
import { LOG_MESSAGE_MAX, type Job, type JobKind, type JobLogEntry, type JobLogLevel, type JobStatus, type JobStreamEvent } from '../../shared/schemas/index.js';
import { CairnError, CancelledError, isCairnError } from '../errors.js';
import type { EventBus } from '../events.js';
import { logger } from '../log.js';
import { admit, backupKey, DEFAULT_LIMITS, type Slot } from './admission.js';
import { systemClock, type Clock } from './clock.js';
import { JobStore } from './job-store.js';
import { asJson, isEnded, matches, STOPPED_MESSAGE } from './states.js';
import { ProgressThrottle } from './throttle.js';
import { emptyProgress, finalProgress, nextProgress, type JobProgressUpdate } from './progress.js';
import type { JobListener, JobManagerOptions, JobQuery, JobReplay, JobRun, JobSpec, JobContext } from './types.js';

const log = logger('jobs');

interface Entry {
  job: Job;
  replay: JobReplay | null;
  slot: Slot;
  run: JobRun | null;
  controller: AbortController | null;
  startedMs: number;
  throttle: ProgressThrottle | null;
  logCount: number;
  waiters: Set<() => void>;
  listeners: Set<JobListener>;
  settled: Promise<void> | null;
}

export class JobManager {
  readonly #entries = new Map<string, Entry>();
  readonly #store: JobStore;
  readonly #clock: Clock;
  readonly #events: EventBus | undefined;
  readonly #limits: Record<JobKind, number>;
  readonly #interval: number;
  readonly #historyLimit: number;
  readonly #logLines: number;
  #closing = false;

  private constructor(opts: JobManagerOptions) {
    this.#store = new JobStore(opts.dir);
    this.#clock = opts.clock ?? systemClock;
    this.#events = opts.events;
    this.#limits = { ...DEFAULT_LIMITS, backup: opts.maxBackups ?? DEFAULT_LIMITS.backup, ...opts.limits };
    this.#interval = opts.progressIntervalMs ?? 250;
    this.#historyLimit = opts.historyLimit ?? 500;
    this.#logLines = opts.logLines ?? 10_000;
  }

  /** Loads stored jobs; one found pending or running failed with the daemon: it is marked so. */
  static async open(opts: JobManagerOptions): Promise<JobManager> {
    const m = new JobManager(opts);
    const stored = (await m.#store.load()).sort((a, b) => a.job.created_at.localeCompare(b.job.created_at));
    for (const { job, replay } of stored) {
      const e = m.#entry(job, null, false, replay);
      if (!isEnded(job.status)) {
        job.status = 'failed';
        job.error = { code: 'internal-error', message: STOPPED_MESSAGE, params: {} };
        job.ended_at = m.#iso();
        m.#save(e);
      }
      m.#entries.set(job.id, e);
    }
    m.#trimHistory();
    await m.#store.flush();
    return m;
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #entry(job: Job, key: string | null, exclusive: boolean, replay: JobReplay | null): Entry {
    return {
      job, replay, slot: { id: job.id, kind: job.kind, repository: job.repository, key, exclusive },
      run: null, controller: null, startedMs: 0, throttle: null, logCount: 0,
      waiters: new Set(), listeners: new Set(), settled: null,
    };
  }

  #need(id: string): Entry {
    const e = this.#entries.get(id);
    if (!e) throw new CairnError('not-found', 'Job not found', { id });
    return e;
  }

  /** Creates a job (pending) and runs it as soon as admission allows; `run` starts on a later tick. */
  start(spec: JobSpec, run: JobRun): Job {
    if (this.#closing) throw new CairnError('unavailable', 'the daemon is stopping');
    const job: Job = {
      id: randomUUID(), kind: spec.kind, status: 'pending', repository: spec.repository, progress: emptyProgress(),
      params: spec.params, result: null, error: null, trigger: spec.trigger ?? 'api',
      schedule_id: spec.scheduleId ?? null, owner: spec.owner ?? null, created_at: this.#iso(), started_at: null, ended_at: null,
    };
    const key = spec.key !== undefined ? spec.key : spec.kind === 'backup' ? backupKey(spec.params) : null;
    const e = this.#entry(job, key, spec.exclusive ?? false, spec.replay ?? null);
    e.run = run;
    this.#entries.set(job.id, e);
    this.#save(e);
    this.#events?.emit('job.created', structuredClone(job));
    this.#schedule();
    return structuredClone(e.job);
  }

  /** The job as it stands; throws CairnError('not-found'). */
  get(id: string): Job {
    return structuredClone(this.#need(id).job);
  }

  /** How to start the job again (see JobSpec.replay), or null. */
  replayOf(id: string): JobReplay | null {
    return structuredClone(this.#need(id).replay);
  }

  /** Newest first. */
  list(q: JobQuery = {}): { total: number; items: Job[] } {
    const all = [...this.#entries.values()].map((e) => e.job).reverse().filter((j) => matches(j, q));
    const offset = q.offset ?? 0;
    return { total: all.length, items: all.slice(offset, offset + (q.limit ?? 50)).map((j) => structuredClone(j)) };
  }

  /** Finished jobs, most recently ended first. */
  history(q: JobQuery = {}): { total: number; items: Job[] } {
    const all = [...this.#entries.values()].map((e) => e.job).filter((j) => isEnded(j.status) && matches(j, q))
      .sort((a, b) => (b.ended_at ?? '').localeCompare(a.ended_at ?? ''));
    const offset = q.offset ?? 0;
    return { total: all.length, items: all.slice(offset, offset + (q.limit ?? 50)).map((j) => structuredClone(j)) };
  }

  /** Resolves with the job once it has ended, or as it stands after timeoutMs (Infinity = no limit). */
  wait(id: string, timeoutMs: number): Promise<Job> {
    const e = this.#entries.get(id);
    if (!e) return Promise.reject(new CairnError('not-found', 'Job not found', { id }));
    if (isEnded(e.job.status)) return Promise.resolve(structuredClone(e.job));
    return new Promise((resolve) => {
      let timer: unknown = null;
      const done = (): void => {
        e.waiters.delete(done);
        if (timer !== null) this.#clock.clearTimeout(timer);
        resolve(structuredClone(e.job));
      };
      e.waiters.add(done);
      if (Number.isFinite(timeoutMs)) timer = this.#clock.setTimeout(done, Math.max(0, timeoutMs));
    });
  }

  /** A pending job ends canceled now; a running one is aborted and ends canceled when its
   *  run gives up. Throws CairnError('conflict') for a job that already ended. */
  cancel(id: string): Job {
    const e = this.#need(id);
    if (isEnded(e.job.status)) {
      throw new CairnError('conflict', `job already ended (${e.job.status})`, { id, status: e.job.status });
    }
    if (e.job.status === 'pending') {
      this.#finish(e, 'canceled', null, null);
    } else if (e.controller && !e.controller.signal.aborted) {
      this.#log(e, 'info', 'cancel requested');
      e.controller.abort(new CancelledError());
    }
    return structuredClone(e.job);
  }

  /** Live events of one job (progress, log, end); returns the unsubscribe function. An
   *  ended job has no further events: check its status first. */
  subscribe(id: string, listener: JobListener): () => void {
    const e = this.#need(id);
    e.listeners.add(listener);
    return () => { e.listeners.delete(listener); };
  }

  logs(id: string): Promise<JobLogEntry[]> {
    this.#need(id);
    return this.#store.readLogs(id);
  }

  /** Resolves when every job file change so far is on disk. */
  flush(): Promise<void> {
    return this.#store.flush();
  }

  /** Cancels every job, waits for running ones to settle and for the files to be written. */
  async close(): Promise<void> {
    this.#closing = true;
    const running: Promise<void>[] = [];
    for (const e of this.#entries.values()) {
      if (e.job.status === 'pending') this.#finish(e, 'canceled', null, null);
      else if (e.job.status === 'running') {
        e.controller?.abort(new CancelledError('the daemon is stopping'));
        if (e.settled) running.push(e.settled);
      }
    }
    await Promise.all(running);
    await this.#store.flush();
  }

  #schedule(): void {
    if (this.#closing) return;
    const pending: Slot[] = [];
    const running: Slot[] = [];
    for (const e of this.#entries.values()) {
      if (e.job.status === 'pending') pending.push(e.slot);
      else if (e.job.status === 'running') running.push(e.slot);
    }
    for (const id of admit(pending, running, this.#limits)) this.#run(this.#entries.get(id)!);
  }

  #emit(e: Entry, event: JobStreamEvent): void {
    for (const l of [...e.listeners]) {
      try {
        l(event);
      } catch (err) {
        log.error('job listener failed', { job: e.job.id, error: (err as Error).message });
      }
    }
  }

  #run(e: Entry): void {
    const run = e.run!;
    const controller = new AbortController();
    e.controller = controller;
    e.job.status = 'running';
    e.job.started_at = this.#iso();
    e.startedMs = this.#clock.now();
    e.throttle = new ProgressThrottle(this.#clock, this.#interval, (update) => {
      this.#applyProgress(e, update);
      this.#publishProgress(e);
    });
    this.#save(e);
    this.#publishProgress(e);
    const ctx: JobContext = {
      jobId: e.job.id,
      signal: controller.signal,
      onProgress: (update) => { if (e.job.status === 'running') e.throttle?.push(update); },
      log: (level, message) => this.#log(e, level, message),
    };
    e.settled = (async () => {
      await Promise.resolve();
      try {
        const result = await run(ctx);
        if (controller.signal.aborted) this.#finish(e, 'canceled', null, null);
        else this.#finish(e, 'success', asJson(result), null);
      } catch (err) {
        const cancelled = err instanceof CancelledError
          || (controller.signal.aborted && (err === controller.signal.reason || (err as Error)?.name === 'AbortError'));
        if (cancelled) this.#finish(e, 'canceled', null, null);
        else this.#finish(e, 'failed', null, this.#errorOf(e, err));
      }
    })();
  }

  #errorOf(e: Entry, err: unknown): Job['error'] {
    if (isCairnError(err)) return { code: err.code, message: err.message, params: err.params };
    log.error('job failed with an unexpected error', { job: e.job.id, kind: e.job.kind, stack: (err as Error)?.stack ?? String(err) });
    return { code: 'internal-error', message: 'internal error', params: {} };
  }

  #applyProgress(e: Entry, update: JobProgressUpdate | null): void {
    if (update) e.job.progress = nextProgress(e.job.progress, update, this.#clock.now() - e.startedMs);
  }

  #publishProgress(e: Entry): void {
    this.#emit(e, { event: 'progress', data: structuredClone(e.job) });
    this.#events?.emit('job.progress', structuredClone(e.job));
  }

  #log(e: Entry, level: JobLogLevel, message: string): void {
    if (isEnded(e.job.status) || e.logCount > this.#logLines) return;
    e.logCount++;
    const text = message.length > LOG_MESSAGE_MAX ? `${message.slice(0, LOG_MESSAGE_MAX - 1)}…` : message;
    const entry: JobLogEntry = e.logCount > this.#logLines
      ? { ts: this.#iso(), level: 'warn', message: `log truncated after ${this.#logLines} lines` }
      : { ts: this.#iso(), level, message: text };
    void this.#store.appendLog(e.job.id, entry);
    this.#emit(e, { event: 'log', data: entry });
  }

  #finish(e: Entry, status: JobStatus, result: unknown, error: Job['error']): void {
    this.#applyProgress(e, e.throttle?.stop() ?? null);
    e.throttle = null;
    e.job.status = status;
    e.job.result = status === 'success' ? result : null;
    e.job.error = error;
    e.job.ended_at = this.#iso();
    if (status === 'success') e.job.progress = finalProgress(e.job.progress);
    e.run = null;
    e.controller = null;
    this.#save(e);
    for (const w of [...e.waiters]) w();
    this.#emit(e, { event: 'end', data: structuredClone(e.job) });
    e.listeners.clear();
    this.#events?.emit('job.finished', structuredClone(e.job));
    this.#trimHistory();
    this.#schedule();
  }

  #save(e: Entry): void {
    void this.#store.save(e.job, e.replay);
  }

  #trimHistory(): void {
    let finished = [...this.#entries.values()].filter((e) => isEnded(e.job.status)).length;
    for (const [id, e] of this.#entries) {
      if (finished <= this.#historyLimit) break;
      if (!isEnded(e.job.status)) continue;
      this.#entries.delete(id);
      void this.#store.remove(id);
      finished--;
    }
  }
}
