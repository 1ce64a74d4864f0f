import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cron from 'node-cron';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { Role } from '../replicas/leadership.ts';
import type { Metrics } from './metrics.ts';

// The part of Deps the health check reads, named here: deps.ts imports ops/metrics.ts, so ops stays below it.
type HealthDeps = { store: Store; clock: Clock; config: Config };

export type HealthState = {
  /** True once migrations ran and every enabled platform logged in. */
  ready: boolean;
  /** Epoch ms the process started: ingest freshness is measured from here until the first ingest. */
  startedAt: number;
  /** Whether this replica runs the leader duties now (src/replicas/). */
  role: Role;
};

/** Length of one period of a cron expression (ms), from its next two runs. */
function cronPeriodMs(expression: string): number {
  const task = cron.createTask(expression, () => undefined, { timezone: 'UTC' });
  try {
    const [a, b] = task.getNextRuns(2);
    return a && b ? b.getTime() - a.getTime() : 30 * 60_000;
  } finally {
    void task.destroy();
  }
}

/** The /healthz verdict: 200 when ready and the last good ingest is at most two cron periods old. */
async function checkHealth(deps: HealthDeps, state: HealthState) {
  const now = deps.clock.now();
  const lastIngestAt = await deps.store.lastRegularIngestAt();
  const maxAgeMs = 2 * cronPeriodMs(deps.config.INGEST_CRON);
  const reference = lastIngestAt ?? state.startedAt;
  const ingestFresh = now - reference <= maxAgeMs;
  const ok = state.ready && ingestFresh;
  return {
    status: ok ? 200 : 503,
    body: {
      ok,
      ready: state.ready,
      role: state.role,
      lastIngestAt: lastIngestAt === null ? null : new Date(lastIngestAt).toISOString(),
      ingestFresh,
      maxIngestAgeSeconds: Math.round(maxAgeMs / 1000),
    },
  };
}

/** Serves GET /healthz (JSON) and GET /metrics (Prometheus text) on 127.0.0.1-or-all `port`. */
export async function startHealthServer(
  deps: HealthDeps & { log: Logger },
  state: HealthState,
  metrics: Metrics,
  options: { port: number; host?: string },
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      checkHealth(deps, state)
        .then((health) => res.writeHead(health.status, { 'content-type': 'application/json' }).end(JSON.stringify(health.body)))
        .catch((err: unknown) => {
          deps.log.error({ err }, 'health check failed');
          res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false }));
        });
      return;
    }
    if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
        .catch((err: unknown) => {
          deps.log.error({ err }, 'metrics collection failed');
          res.writeHead(500).end();
        });
      return;
    }
    res.writeHead(404).end();
  });
  // A port in use (another replica on this machine, a leftover process) stops start-up in one line.
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use (another paperboy replica, or another program?)' : `cannot be opened (${err.code ?? err.message})`;
      reject(new Error(`HEALTH_PORT=${options.port} ${why}: choose another port for each replica on one machine.`, { cause: err }));
    });
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
