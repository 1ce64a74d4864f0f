import { systemClock } from './clock.ts';
import { enabledPlatforms, type Config } from './config.ts';
import type { Deps } from './deps.ts';
import { createLogger, type Logger } from './log.ts';
import { startHealthServer, type HealthState } from './ops/health-server.ts';
import { createMetrics } from './ops/metrics.ts';
import { printError, type ConsoleIo, type InStream, type OutStream } from './platforms/console/console-io.ts';
import { startConsole } from './platforms/console/start-console.ts';
import type { Platform, Sender } from './platform.ts';
import { startHeartbeat, type Heartbeat } from './replicas/heartbeat.ts';
import { createLeadership, type LeaderDuty, type Role } from './replicas/leadership.ts';
import { createScheduler } from './scheduler.ts';
import { waitForShutdown } from './shutdown.ts';
import { describeDatabase, openLeaderLock, openStore } from './store/open-store.ts';
import { warmWatchIndex } from './watches/watch-index.ts';

// The composition root: config → deps → platforms → leadership → the leader duties (the
// scheduler: ingest, digests, delivery worker). Every replica answers commands; only the leader
// runs the duties (src/replicas/).

export type RunningBot = {
  deps: Deps;
  /** Platforms that started (a platform that failed to log in is left out, and logged). */
  platforms: Platform[];
  /** Settles when the start-up catch-up ingest is done, at once on a follower (it never rejects). */
  catchUp: Promise<void>;
  /** Whether this replica leads now (always, with SQLite). */
  role(): Role;
  /** Stops everything in reverse order and closes the database. Safe to call twice. */
  stop(): Promise<void>;
};

/** How long a stopping scheduler waits for in-flight ingest and sends. */
const DRAIN_MS = 6_000;

type StartedPlatform = { platform: Platform; sender: Sender; stop(): Promise<void> };

type StartOptions = {
  stdout?: OutStream;
  stdin?: InStream;
  /** Ctrl+C typed at the console prompt (readline keeps it from becoming a signal). */
  onInterrupt?: () => void;
  log?: Logger;
};

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const log = options.log ?? createLogger(config);
  const store = await openStore(config, log);
  const metrics = createMetrics(store);
  const deps: Deps = { config, log, store, clock: systemClock, fetch: globalThis.fetch, metrics };
  const health: HealthState = { ready: false, startedAt: Date.now(), role: 'follower' };
  const healthServer =
    config.HEALTH_PORT === undefined
      ? null
      : await startHealthServer(deps, health, metrics, { port: config.HEALTH_PORT }).catch(async (err: unknown) => {
          await store.close();
          throw err;
        });

  const started: StartedPlatform[] = [];
  for (const platform of enabledPlatforms(config)) {
    try {
      started.push(await startPlatform(platform, deps, options));
    } catch (err) {
      // One bad token must not take the other platforms (or ingest) down with it.
      log.error({ err, platform }, 'platform failed to start');
    }
  }
  const senders = started.map((entry) => entry.sender);
  // What only the leader runs, begun afresh at each term of leadership and drained when it ends:
  // add leader-only work here.
  const duties: LeaderDuty[] = [
    {
      name: 'scheduler',
      begin() {
        // The scheduler owns the delivery worker. Its drain is kept well under the 10 s shutdown
        // budget, leaving time to stop the platforms and close the database. With replicas
        // (PostgreSQL) a new leader's worker waits out the previous leader's drain.
        const scheduler = createScheduler(deps, {
          senders,
          platforms: started.map((entry) => entry.platform),
          drainMs: DRAIN_MS,
          deliveryDelayMs: store.dialect === 'postgres' ? DRAIN_MS + 1_000 : 0,
        });
        // start() resolves after the start-up catch-up ingest, which may take a while: the bot is
        // ready (commands answered, deliveries flowing) before it finishes. It never rejects.
        // The watch index is built now, so the first ingest's alert planning finds it ready.
        warmWatchIndex(deps.store);
        return { ready: scheduler.start(), stop: () => scheduler.stop() };
      },
    },
  ];
  let heartbeat: Heartbeat | null = null;
  const leadership = createLeadership({
    lock: await openLeaderLock(config),
    duties,
    log,
    onRoleChange: (role) => {
      health.role = role;
      void heartbeat?.beat();
    },
  });
  // The first attempt: with SQLite, or a free lock, this replica leads before `ready` is logged.
  await leadership.start();
  heartbeat = await startHeartbeat(deps, () => leadership.role());
  const catchUp = leadership.ready();
  // /healthz is ready once migrations ran and every configured platform logged in: a platform
  // that failed to start keeps it at 503 so an operator notices.
  health.ready = started.length === enabledPlatforms(config).length;
  const platforms = started.map((entry) => entry.platform);
  if (platforms.length === 0) log.warn('no platform started: ingest keeps running, but nothing can be posted');
  log.info({ platforms, database: describeDatabase(config), role: leadership.role() }, 'paperboy ready');

  let stopping: Promise<void> | null = null;
  const stopAll = async () => {
    await leadership.stop();
    await heartbeat?.stop();
    for (const entry of started.reverse()) {
      await entry.stop().catch((err: unknown) => log.error({ err, platform: entry.platform }, 'platform failed to stop'));
    }
    await healthServer?.close();
    await store.close();
  };
  return {
    deps,
    platforms,
    catchUp,
    role: () => leadership.role(),
    stop: () => (stopping ??= stopAll()),
  };
}

/** Adapters are imported on demand: console mode works even without the platform libraries. */
async function startPlatform(platform: Platform, deps: Deps, options: StartOptions): Promise<StartedPlatform> {
  if (platform === 'discord') {
    const { startDiscord } = await import('./platforms/discord/start-discord.ts');
    return { platform, ...(await startDiscord(deps)) };
  }
  if (platform === 'slack') {
    const { startSlack } = await import('./platforms/slack/start-slack.ts');
    return { platform, ...(await startSlack(deps)) };
  }
  return { platform, ...startConsole(deps, { stdout: options.stdout, stdin: options.stdin, onInterrupt: options.onInterrupt }) };
}

/** `paperboy start`: runs until SIGINT/SIGTERM; resolves with the exit code. */
export async function runBot(config: Config, io: ConsoleIo): Promise<number> {
  let bot: RunningBot;
  try {
    bot = await startBot(config, { stdout: io.stdout, stdin: io.stdin, onInterrupt: () => process.kill(process.pid, 'SIGINT') });
  } catch (err) {
    printError(io, `could not start: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const code = await waitForShutdown(bot.stop, { log: bot.deps.log });
  // Some library may still hold a socket or timer open; do not let it keep a stopped bot alive.
  setTimeout(() => process.exit(code), 1_000).unref();
  return code;
}
