import type { Config } from './config.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './ops/metrics.ts';
import type { Store } from './store/store.ts';

/** Everything the core needs, built once in main.ts (or a test) and passed down. */
export type Deps = {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  fetch: typeof fetch;
  /** Present in the running bot; tests and the CLI may leave it out. */
  metrics?: Metrics;
};
