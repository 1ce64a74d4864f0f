import type { Logger } from '../log.ts';
import type { LeaderLock } from '../store/leader-lock.ts';

// Several `paperboy start` processes (replicas) can share one PostgreSQL database. Every replica
// answers commands; one, the leader, also runs the leader duties: ingest (cron and start-up
// catch-up), digest ticks, alert planning and the delivery worker. Leadership is the leader lock
// (store/leader-lock.ts): whoever holds it leads. Followers ask for it every few seconds, so when
// the leader dies (its lock connection ends) another replica leads within one retry. A leader
// that loses its lock connection stops its duties at once and competes again like any follower.
// Two replicas may briefly both believe they lead (the old one still draining): every write they
// share is safe anyway (outbox rows are claimed with SKIP LOCKED, digests and alerts are keyed).
// With SQLite the lock is always held: one process, always leader, the same code path.

export type Role = 'leader' | 'follower';

/** Something only the leader runs: begun at each term of leadership, stopped (drained) when it ends. */
export type LeaderDuty = {
  name: string;
  /** `ready` settles (never rejects) when the duty's start-up work is done, e.g. the catch-up ingest. */
  begin(): { ready: Promise<void>; stop(): Promise<void> };
};

export type Leadership = {
  role(): Role;
  /** Settles when the current term's start-up work is done (at once while following). */
  ready(): Promise<void>;
  /** Asks for the lock now, then every `retryMs`; resolves after the first attempt. Never rejects. */
  start(): Promise<void>;
  /** Stops competing, ends the term (draining the duties) and releases the lock. */
  stop(): Promise<void>;
};

/** How often a follower asks for the lock (and a leader checks its lock connection): takeover < 15 s. */
const ELECTION_RETRY_MS = 3_000;

export function createLeadership(options: {
  lock: LeaderLock;
  duties: LeaderDuty[];
  log: Logger;
  retryMs?: number;
  onRoleChange?: (role: Role) => void;
}): Leadership {
  const log = options.log.child({ module: 'replicas' });
  const retryMs = options.retryMs ?? ELECTION_RETRY_MS;
  let role: Role = 'follower';
  let term: Array<{ name: string; ready: Promise<void>; stop(): Promise<void> }> = [];
  let termReady: Promise<void> = Promise.resolve();
  let endingTerm: Promise<void> = Promise.resolve();
  let attempting: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let competeAfter = 0;

  function lead(): void {
    role = 'leader';
    log.info({ duties: options.duties.map((duty) => duty.name) }, 'became the leader: starting the leader duties');
    term = options.duties.map((duty) => ({ name: duty.name, ...duty.begin() }));
    termReady = Promise.all(term.map((entry) => entry.ready)).then(() => undefined);
    options.onRoleChange?.(role);
  }

  function endTerm(reason: string): Promise<void> {
    if (role !== 'leader') return endingTerm;
    role = 'follower';
    const ending = term;
    term = [];
    termReady = Promise.resolve();
    options.onRoleChange?.(role);
    if (stopped) log.info('stopping the leader duties');
    else log.warn({ reason }, 'lost leadership: stopping the leader duties');
    // The replica whose connection just failed is the likeliest to be in trouble: it lets a
    // healthy follower (asking every retryMs) take over first, and competes again after that.
    competeAfter = Date.now() + 2 * retryMs;
    endingTerm = Promise.all(
      ending.map((entry) => entry.stop().catch((err: unknown) => log.error({ err, duty: entry.name }, 'leader duty failed to stop'))),
    ).then(() => undefined);
    return endingTerm;
  }

  async function attempt(): Promise<void> {
    // A term still draining ends before this replica may begin another.
    await endingTerm;
    if (stopped || Date.now() < competeAfter) return;
    try {
      const held = await options.lock.tryAcquire();
      if (stopped) return;
      if (held && role === 'follower') lead();
      else if (!held && role === 'leader') await endTerm('leader lock no longer held');
    } catch (err) {
      log.warn({ err }, 'could not ask for the leader lock; asking again shortly');
    }
  }

  function tick(): Promise<void> {
    attempting ??= attempt().finally(() => {
      attempting = null;
    });
    return attempting;
  }

  options.lock.onLost((reason) => void endTerm(reason));

  return {
    role: () => role,
    ready: () => termReady,
    async start() {
      if (stopped || timer) return;
      await tick();
      if (stopped) return;
      timer = setInterval(() => void tick(), retryMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await attempting;
      await endTerm('shutting down');
      await options.lock.close();
    },
  };
}
