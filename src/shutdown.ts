import type { Logger } from './log.ts';

/** SIGINT/SIGTERM to exit: past this, the process exits 1 without waiting any longer. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Resolves with the exit code once SIGINT or SIGTERM arrived and `stop` finished (0), failed
 * (1), or ran past `timeoutMs` (1; then `exit` is called at once because something hangs).
 * A second signal while stopping exits 1 immediately: the operator insists.
 */
export function waitForShutdown(
  stop: () => Promise<void>,
  options: { log: Logger; timeoutMs?: number; exit?: (code: number) => void; signals?: NodeJS.Signals[] },
): Promise<number> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        options.log.warn({ signal }, 'second signal while stopping: exiting now');
        exit(1);
        return;
      }
      stopping = true;
      options.log.info({ signal }, 'shutting down');
      const hardStop = setTimeout(() => {
        options.log.error({ timeoutMs: options.timeoutMs ?? SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long: exiting');
        exit(1);
      }, options.timeoutMs ?? SHUTDOWN_TIMEOUT_MS);
      stop().then(
        () => finish(hardStop, 0),
        (err: unknown) => {
          options.log.error({ err }, 'shutdown failed');
          finish(hardStop, 1);
        },
      );
    };
    const finish = (hardStop: NodeJS.Timeout, code: number) => {
      clearTimeout(hardStop);
      for (const signal of signals) process.off(signal, onSignal);
      if (code === 0) options.log.info('stopped');
      resolve(code);
    };
    for (const signal of signals) process.on(signal, onSignal);
  });
}
