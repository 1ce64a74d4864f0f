import type { Deps } from '../deps.ts';
import type { Platform } from '../platform.ts';
import { archiveRange, runArchiveBackfill, type BackfillOutcome } from './archive-backfill.ts';

export type BackgroundBackfill = {
  /** Settles when the run ends (complete, stopped or stopped by the database); never rejects. */
  done: Promise<BackfillOutcome | null>;
  /** Ends the run after the current day; resolves when it has ended. */
  stop(): Promise<void>;
};

/**
 * The bot's archive backfill (BACKFILL_FROM; nothing when it is `off`), started by the scheduler
 * after the start-up catch-up. `serialize` is the scheduler's ingest queue.
 */
export function startBackfill(deps: Deps, options: { platforms: Platform[]; serialize: <T>(work: () => Promise<T>) => Promise<T> }): BackgroundBackfill {
  const range = archiveRange(deps);
  const controller = new AbortController();
  const done = range
    ? runArchiveBackfill(deps, { ...range, platforms: options.platforms, serialize: options.serialize, signal: controller.signal }).catch((err: unknown) => {
        deps.log.child({ module: 'backfill' }).error({ err }, 'archive backfill failed; it resumes at the next start');
        return null;
      })
    : Promise.resolve(null);
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
