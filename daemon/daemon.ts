// daemon/daemon.ts — the composition root.
//   config → state dir → worker pool → registry (every registered repository reopened,
//   locked and reconciled before it is served) → the default repository (`--repo`, or
//   the default location on first start) → JobManager (jobs survive restarts) → Access
//   → createApi(meta, jobs, repository and snapshot handlers) → listeners
// Called by main.ts; close() stops listening, cancels jobs, waits for them, closes the
// repositories and the pool.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { CAIRN_VERSION } from '../shared/version.js';
import { defaultRepositoryPath } from '../shared/paths.js';
import { Access, clockFromEnv } from './access/index.js';
import { createApi, jobHandlers, metaHandlers, repositoryHandlers, snapshotHandlers } from './api/index.js';
import { browseHandlers } from './api/index.js';
import { eventHandlers, registryHandlers, trashHandlers } from './api/index.js';
import { keyHandlers, signedUrlHandlers } from './api/index.js';
import { downloadHandlers, fileHandlers } from './api/index.js';
import { hostOf, isLoopbackHost, type Config } from './config/index.js';
import { CairnError } from './errors.js';
import { EventBus, deriveSnapshotEvents } from './events.js';
import { releaseMemorySoon } from './memory.js';
import { JobManager, jobsDir } from './jobs/index.js';
import { logger } from './log.js';
import { reconcile, rebuildIndex } from './reconcile/index.js';
import { Registry } from './repository/index.js';
import { parseLocation } from './storage/index.js';
import { initTrees } from './snapshot/index.js';
import { listenFds } from './systemd/index.js';
import { WorkerPool } from './workers/index.js';

const log = logger('daemon');

export interface DaemonOptions {
  config: Config;
  /** Reported by /api/info and /api/health (default: package.json's). */
  version?: string;
  /** The passphrase for a default repository it must open or create (else from the file / env). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningDaemon {
  socketPath: string;
  /** "HOST:PORT" bound, or null without TCP. */
  tcpAddress: string | null;
  close(): Promise<void>;
}

async function isEmptyOrMissing(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => null);
  if (!st) return true;
  if (!st.isDirectory()) return false;
  return (await readdir(path)).length === 0;
}

/** Registers the configured default repository when it is not yet (first start, --repo). */
async function ensureDefault(registry: Registry, config: Config, env: NodeJS.ProcessEnv): Promise<void> {
  const path = parseLocation(config.repository).path;
  const location = `fs:${path}`;
  const explicit = path !== defaultRepositoryPath(env);
  const known = registry.list().find((e) => e.location === location);
  if (known) {
    if (explicit && !known.default) await registry.setDefault(known.name);
    return;
  }
  if (!explicit && registry.list().length > 0) return;
  let passphrase: string | null = null;
  const file = await readFile(config.passphrase_file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new CairnError('unprocessable', `cannot read the passphrase file ${config.passphrase_file}: ${e.message}`);
  });
  if (file !== null) passphrase = file.replace(/\r?\n$/, '');
  else if (env.CAIRN_PASSPHRASE) passphrase = env.CAIRN_PASSPHRASE;
  let generated = false;
  if (passphrase === null) {
    if (!(await isEmptyOrMissing(path))) {
      throw new CairnError('unprocessable', `${path} is not empty: give its passphrase with --passphrase-file or CAIRN_PASSPHRASE`);
    }
    passphrase = randomBytes(24).toString('base64url');
    generated = true;
  }
  const entry = await registry.add({ location: path, passphrase, create: true, default: true });
  if (generated) {
    const where = registry.secretFile(entry.name);
    if (process.stdout.isTTY) process.stdout.write(`cairnd: new repository ${path}; its passphrase (kept in ${where}): ${passphrase}\n`);
    // Not a terminal: stdout carries only the ready line, scripts read it.
    else log.info('new repository: its passphrase is kept in the state dir', { repository: path, passphrase_file: where });
  }
}

export async function startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const { config } = opts;
  const env = opts.env ?? process.env;
  const version = opts.version ?? CAIRN_VERSION;
  await mkdir(config.state_dir, { recursive: true, mode: 0o700 });
  await initTrees();
  const pool = new WorkerPool();
  const events = new EventBus();
  deriveSnapshotEvents(events);
  // When a job ends, what it used goes back to the kernel (daemon/memory.ts).
  events.on('job.finished', () => releaseMemorySoon());
  let registry: Registry;
  try {
    registry = await Registry.load(config.state_dir, pool, async (repo, rebuild) => {
      if (rebuild) await rebuildIndex(repo);
      else await reconcile(repo);
    });
    await ensureDefault(registry, config, env);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const jobs = await JobManager.open({
    dir: jobsDir(config.state_dir),
    events,
    maxBackups: config.jobs.max_backups,
    progressIntervalMs: config.jobs.progress_interval_ms,
    historyLimit: config.jobs.history_limit,
    logLines: config.jobs.log_lines,
  });
  const access = await Access.open({
    stateDir: config.state_dir, clock: clockFromEnv(env), rateLimits: config.rate_limits, noAuth: config.no_auth,
    restoreRoot: config.restore_root,
    repositoryId: (name) => {
      try {
        return registry.get(name).id;
      } catch {
        return null;
      }
    },
  });
  const defaultId = (): string | null => {
    try {
      return registry.get().id;
    } catch {
      return null;
    }
  };
  const api = createApi({
    access, jobs, http: config.http, version,
    handlers: {
      ...metaHandlers({ version, repositoryId: defaultId }),
      ...jobHandlers(jobs),
      ...repositoryHandlers({ registry }),
      ...snapshotHandlers({ registry, restoreRoot: config.restore_root }),
      ...browseHandlers({ registry }),
      ...registryHandlers({ registry, jobs }),
      ...trashHandlers({ registry, events }),
      ...eventHandlers({ events, jobs }),
      ...keyHandlers(access),
      ...signedUrlHandlers({ registry, access }),
      ...fileHandlers({ registry }),
      ...downloadHandlers({ registry }),
    },
  });
  let listening;
  try {
    listening = await api.listen({
      fds: listenFds(),
      socket: { path: config.socket, mode: config.socket_mode, group: config.socket_group },
      tcp: config.listen,
    });
    if (config.no_auth && listening.tcpAddress && !isLoopbackHost(hostOf(listening.tcpAddress))) {
      await listening.close();
      throw new CairnError('invalid_params', `--no-auth refuses the non-loopback address ${listening.tcpAddress}`);
    }
  } catch (e) {
    await jobs.close();
    await api.app.close();
    await access.close();
    await registry.close();
    await pool.close();
    throw e;
  }
  log.info('listening', { socket: listening.socketPath, tcp: listening.tcpAddress });
  releaseMemorySoon(); // the start-up's key derivation and reconcile are done
  let closing: Promise<void> | null = null;
  return {
    socketPath: listening.socketPath ?? config.socket,
    tcpAddress: listening.tcpAddress,
    close() {
      closing ??= (async () => {
        await listening.close();
        await jobs.close();
        await api.app.close();
        await access.close();
        await registry.close();
        await pool.close();
      })();
      return closing;
    },
  };
}
