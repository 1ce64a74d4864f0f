import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.ts';

export type Metrics = {
  registry: Registry;
  /** Seconds from command received to reply built, by platform and command. */
  commandLatency: Histogram<'platform' | 'command'>;
  commandErrors: Counter<'platform' | 'command' | 'kind'>;
};

/**
 * A registry of its own (no global default registry). Database figures are read at scrape time,
 * so they survive restarts and need no bookkeeping in the hot paths.
 */
export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'paperboy' });

  new Gauge({
    name: 'paperboy_papers_stored',
    help: 'Papers in the database',
    registers: [registry],
    async collect() {
      this.set(await store.countRows('papers'));
    },
  });
  new Gauge({
    name: 'paperboy_watches_active',
    help: 'Saved watches',
    registers: [registry],
    async collect() {
      this.set(await store.countRows('watches'));
    },
  });
  new Gauge({
    name: 'paperboy_database_bytes',
    help: 'Size of the SQLite database file',
    registers: [registry],
    async collect() {
      this.set(await store.databaseBytes());
    },
  });
  new Gauge({
    name: 'paperboy_ingest_runs',
    help: 'Ingest runs by result (running, ok, empty, failed)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await store.ingestRunsByStatus();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'paperboy_deliveries',
    help: 'Outbox deliveries by state (pending, sending, sent, failed) and platform',
    labelNames: ['state', 'platform'],
    registers: [registry],
    async collect() {
      const rows = await store.deliveriesByStateAndPlatform();
      this.reset();
      for (const row of rows) this.set({ state: row.state, platform: row.platform }, row.n);
    },
  });
  new Gauge({
    name: 'paperboy_rate_limit_waits',
    help: 'Rate-limit waits recorded, by source (hf, discord, slack)',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      const rows = await store.rateLimitWaitsBySource();
      this.reset();
      for (const row of rows) this.set({ source: row.source }, row.n);
    },
  });
  new Gauge({
    name: 'paperboy_rate_limit_wait_seconds',
    help: 'Total time spent waiting on rate limits, by source',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      const rows = await store.rateLimitWaitsBySource();
      this.reset();
      for (const row of rows) this.set({ source: row.source }, row.ms / 1000);
    },
  });

  return {
    registry,
    commandLatency: new Histogram({
      name: 'paperboy_command_duration_seconds',
      help: 'Time from a command received to its reply built',
      labelNames: ['platform', 'command'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    commandErrors: new Counter({
      name: 'paperboy_command_errors_total',
      help: 'Commands that ended in an error reply, by kind (user, transient, permanent)',
      labelNames: ['platform', 'command', 'kind'],
      registers: [registry],
    }),
  };
}
