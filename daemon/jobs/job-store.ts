// daemon/jobs/job-store.ts — jobs on disk under `<state>/jobs/`: `<id>.json` (the job as
// the API shows it, plus its `replay` when it has one; rewritten atomically at each state
// change) and `<id>.log` (JSON lines, appended, bounded by the manager). Writes for one job
// are applied in order; a failed write is logged, never thrown at the job.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job, JobLogEntry } from '../../shared/schemas/index.js';
import { logger } from '../log.js';
import type { JobReplay } from './types.js';

const log = logger('jobs');
const ID = /^[A-Za-z0-9-]+$/;
/** Job files read at once at start. */
const LOAD_CONCURRENCY = 16;

export interface StoredJob {
  job: Job;
  replay: JobReplay | null;
}

export class JobStore {
  readonly dir: string;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates the directory, drops leftover temporary files and returns every stored job
   *  (in no particular order). */
  async load(): Promise<StoredJob[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const files: string[] = [];
    for (const name of await readdir(this.dir)) {
      if (name.includes('.tmp-')) await rm(join(this.dir, name), { force: true });
      else if (name.endsWith('.json')) files.push(name);
    }
    const jobs: StoredJob[] = [];
    const readOne = async (name: string): Promise<void> => {
      try {
        const { replay, ...job } = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Job & { replay?: JobReplay | null };
        if (typeof job.id === 'string' && typeof job.status === 'string') jobs.push({ job, replay: replay ?? null });
      } catch (e) {
        log.warn('unreadable job file skipped', { file: name, error: (e as Error).message });
      }
    };
    // Several reads in flight: one at a time, each waited for a round trip through libuv's
    // pool, and the history (up to jobs.history_limit files) is read at every start.
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < files.length) await readOne(files[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, files.length) }, reader));
    return jobs;
  }

  #enqueue(id: string, op: () => Promise<void>): Promise<void> {
    const prev = this.#queues.get(id) ?? Promise.resolve();
    const next = prev.then(op).catch((e: unknown) => {
      log.error('job file write failed', { job: id, error: (e as Error).message });
    });
    this.#queues.set(id, next);
    void next.then(() => { if (this.#queues.get(id) === next) this.#queues.delete(id); });
    return next;
  }

  /** Rewrites `<id>.json` atomically (temporary file, fsync, rename). */
  save(job: Job, replay: JobReplay | null = null): Promise<void> {
    if (!ID.test(job.id)) throw new Error(`bad job id ${job.id}`);
    const text = JSON.stringify(replay ? { ...job, replay } : job) + '\n';
    return this.#enqueue(job.id, async () => {
      const tmp = join(this.dir, `${job.id}.json.tmp-${randomBytes(6).toString('hex')}`);
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.dir, `${job.id}.json`));
    });
  }

  /** Appends one line to `<id>.log`. */
  appendLog(id: string, entry: JobLogEntry): Promise<void> {
    const line = JSON.stringify(entry) + '\n';
    return this.#enqueue(id, async () => {
      const fh = await open(join(this.dir, `${id}.log`), 'a', 0o600);
      try {
        await fh.writeFile(line);
      } finally {
        await fh.close();
      }
    });
  }

  /** The log of a job after its pending writes; [] when it has none. */
  async readLogs(id: string): Promise<JobLogEntry[]> {
    await this.#queues.get(id);
    let text: string;
    try {
      text = await readFile(join(this.dir, `${id}.log`), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: JobLogEntry[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as JobLogEntry);
      } catch {
        // a torn last line after a crash: skip it
      }
    }
    return out;
  }

  /** Deletes a job's files. */
  remove(id: string): Promise<void> {
    return this.#enqueue(id, async () => {
      await rm(join(this.dir, `${id}.json`), { force: true });
      await rm(join(this.dir, `${id}.log`), { force: true });
    });
  }

  /** Resolves when every queued write has been applied. */
  async flush(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()]);
  }
}
