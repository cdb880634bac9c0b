// daemon/api/routes/meta.ts — GET /api/info and GET /api/health.
import type { Health, Info } from '../../../shared/schemas/index.js';
import type { Handlers } from '../types.js';

export interface MetaOptions {
  version: string;
  /** ms since the epoch when the daemon started (default: now). */
  startedAt?: number;
  /** The default repository's id, or null when none is registered. */
  repositoryId(): string | null;
  /** "ok", or what is wrong with an index (then /api/health says unhealthy). */
  database?(): string;
}

export function metaHandlers(opts: MetaOptions): Handlers {
  const startedAt = opts.startedAt ?? Date.now();
  return {
    info: async (): Promise<Info> => ({
      repository_id: opts.repositoryId(),
      authenticated: true,
      version: opts.version,
      browsable: true,
      demo_mode: false,
    }),
    health: async (_request, reply): Promise<Health> => {
      const database = opts.database?.() ?? 'ok';
      const mem = process.memoryUsage();
      return {
        status: database === 'ok' ? 'healthy' : 'unhealthy',
        uptime: Math.round((Date.now() - startedAt) / 1000),
        timestamp: new Date().toISOString(),
        database,
        memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal },
        responseTime: Math.round(reply.elapsedTime * 1000) / 1000,
        version: opts.version,
      };
    },
  };
}
