import { systemClock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { createLogger } from '../../log.ts';
import { openStore } from '../../store/open-store.ts';
import type { CliArgs } from './cli-args.ts';
import type { ConsoleIo } from './console-io.ts';

export type CliContext = { deps: Deps; io: ConsoleIo; args: CliArgs };

const quieter = ['error', 'fatal', 'silent'];

/**
 * Deps for one CLI run. Logs go to stderr at warn (or quieter, if LOG_LEVEL says so), keeping
 * stdout for the command's output: `--json` must be the only thing there.
 */
export async function openCliDeps(config: Config, io: ConsoleIo): Promise<{ deps: Deps; close(): Promise<void> }> {
  const level = quieter.includes(config.LOG_LEVEL) ? config.LOG_LEVEL : 'warn';
  const log = createLogger({ LOG_LEVEL: level }, io.stderr);
  const store = await openStore(config, log);
  return {
    deps: { config, log, store, clock: systemClock, fetch: globalThis.fetch },
    close: () => store.close(),
  };
}
