import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { createLeadership, type Leadership, type Role } from '../../src/replicas/leadership.ts';
import { soleLeaderLock, type LeaderLock } from '../../src/store/leader-lock.ts';
import { openLeaderLock } from '../../src/store/open-store.ts';
import { LEADER_LOCK_KEY } from '../../src/store/postgres/leader-lock.ts';
import { adminQuery, newSchemaName, postgresServerReachable, schemaUrl, TEST_POSTGRES_URL } from '../support/postgres-test-db.ts';
import { until } from '../support/wait.ts';

// Leader election on the real server: locks and leaderships on one schema, as replicas on one
// DATABASE_URL. The lock lives on a connection of its own, so these need the server (PGlite has
// one connection); without it they skip with one line.

const serverUp = await postgresServerReachable();
if (!serverUp) console.log('election tests skipped: they need a PostgreSQL server (several connections); PGlite has one');

const quietLog = createLogger(loadConfig({ LOG_LEVEL: 'silent' }), new Writable({ write: (_chunk, _encoding, done) => done() }));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshSchema(): Promise<string> {
  const schema = newSchemaName();
  await adminQuery(`CREATE SCHEMA ${schema}`);
  cleanups.push(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));
  return schema;
}

async function lockOn(schema: string): Promise<LeaderLock> {
  const lock = await openLeaderLock({ DATABASE_URL: schemaUrl(schema) });
  cleanups.push(() => lock.close());
  return lock;
}

/** Ends the server session holding the leader lock of `schema`, as a crash or a network cut would. */
async function terminateLockHolder(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const result = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objsubid = 2
          AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
      [LEADER_LOCK_KEY, schema],
    );
    return result.rows.filter((row) => row.ended).length;
  } finally {
    await client.end();
  }
}

/** `lock`, recording each answer of tryAcquire: a replica's attempts are what a test waits on. */
function answering(lock: LeaderLock): { lock: LeaderLock; answers: boolean[] } {
  const answers: boolean[] = [];
  return {
    answers,
    lock: {
      async tryAcquire() {
        const held = await lock.tryAcquire();
        answers.push(held);
        return held;
      },
      onLost: (listener) => lock.onLost(listener),
      close: () => lock.close(),
    },
  };
}

/** A leadership whose one duty records when it begins and stops. */
function replica(lock: LeaderLock, retryMs = 500) {
  const events: string[] = [];
  const roles: Role[] = [];
  const leadership: Leadership = createLeadership({
    lock,
    log: quietLog,
    retryMs,
    duties: [
      {
        name: 'work',
        begin() {
          events.push('begin');
          return {
            ready: Promise.resolve(),
            stop: async () => {
              events.push('stop');
            },
          };
        },
      },
    ],
    onRoleChange: (role) => roles.push(role),
  });
  cleanups.push(() => leadership.stop());
  return { leadership, events, roles };
}

describe.skipIf(!serverUp)('leader lock on PostgreSQL', () => {
  it('is held by one replica at a time, per schema', async () => {
    const schema = await freshSchema();
    const [a, b] = [await lockOn(schema), await lockOn(schema)];
    expect(await a.tryAcquire()).toBe(true);
    for (let i = 0; i < 3; i += 1) expect(await b.tryAcquire()).toBe(false);
    // Asked again while held: still held (the same session), and it still keeps b out.
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    // Another schema (another install) elects its own leader.
    expect(await (await lockOn(await freshSchema())).tryAcquire()).toBe(true);
    // Closing releases it.
    await a.close();
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(false);
  });

  it('tells the holder when its connection is terminated, and can compete again', async () => {
    const schema = await freshSchema();
    const a = await lockOn(schema);
    const lost: string[] = [];
    a.onLost((reason) => lost.push(reason));
    expect(await a.tryAcquire()).toBe(true);
    expect(await terminateLockHolder(schema)).toBe(1);
    await until(() => lost.length === 1, 'the lost lock is noticed');
    expect(lost[0]).toMatch(/lock connection/);
    // A new connection, and the lock is free again (nobody else wants it).
    expect(await a.tryAcquire()).toBe(true);
  });
});

describe.skipIf(!serverUp)('leadership on PostgreSQL', () => {
  it('hands the duties to a follower when the leader’s lock connection is terminated', async () => {
    const schema = await freshSchema();
    const a = replica(await lockOn(schema));
    const bLock = answering(await lockOn(schema));
    const b = replica(bLock.lock);
    await a.leadership.start();
    await b.leadership.start();
    expect([a.leadership.role(), b.leadership.role()]).toEqual(['leader', 'follower']);
    // Several retries later the follower still has not got the lock.
    await until(() => bLock.answers.length >= 4, 'the follower asks again three times');
    expect(bLock.answers.slice(0, 4)).toEqual([false, false, false, false]);
    expect(b.events).toEqual([]);
    expect(b.leadership.role()).toBe('follower');

    const killedAt = Date.now();
    expect(await terminateLockHolder(schema)).toBe(1);
    await until(() => b.leadership.role() === 'leader', 'the follower takes over');
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    // The old leader stepped down at once (its duty stopped) and now follows.
    await until(() => a.events.length === 2, 'the old leader stops its duty');
    expect(a.events).toEqual(['begin', 'stop']);
    expect(a.roles).toEqual(['leader', 'follower']);
    expect(b.events).toEqual(['begin']);
    expect(a.leadership.role()).toBe('follower');
    // The old leader competes again: when the new one goes, it leads once more.
    await b.leadership.stop();
    await until(() => a.leadership.role() === 'leader', 'the old leader leads again');
    expect(a.events).toEqual(['begin', 'stop', 'begin']);
  });

  it('hands over when the leader shuts down (its client ends), and never lets two lead', async () => {
    const schema = await freshSchema();
    const locks = [answering(await lockOn(schema)), answering(await lockOn(schema)), answering(await lockOn(schema))];
    const replicas = locks.map(({ lock }) => replica(lock));
    for (const r of replicas) await r.leadership.start();
    const leaders = () => replicas.filter((r) => r.leadership.role() === 'leader');
    expect(leaders()).toHaveLength(1);
    const first = leaders()[0];
    await first?.leadership.stop();
    expect(first?.events).toEqual(['begin', 'stop']);
    await until(() => leaders().length === 1, 'one of the others takes over');
    // The one left following asks twice more, and is refused: never two leaders.
    const follower = locks.find((_, i) => replicas[i] !== first && replicas[i]?.leadership.role() === 'follower');
    const asked = follower?.answers.length ?? 0;
    await until(() => (follower?.answers.length ?? 0) >= asked + 2, 'the follower asks twice more');
    expect(follower?.answers.slice(asked)).toEqual([false, false]);
    expect(leaders()).toHaveLength(1);
    expect(replicas.reduce((n, r) => n + r.events.filter((e) => e === 'begin').length, 0)).toBe(2);
  });

  it('keeps following, without throwing, while the database cannot be reached', async () => {
    const lock = await openLeaderLock({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/test' });
    const r = replica(lock);
    await r.leadership.start();
    expect(r.leadership.role()).toBe('follower');
    expect(r.events).toEqual([]);
  });
});

describe('leadership on SQLite', () => {
  it('always leads: the duties begin at start and stop at stop', async () => {
    const r = replica(soleLeaderLock());
    await r.leadership.start();
    expect(r.leadership.role()).toBe('leader');
    await r.leadership.ready();
    await r.leadership.stop();
    expect(r.events).toEqual(['begin', 'stop']);
    expect(r.roles).toEqual(['leader', 'follower']);
  });

  it('is what openLeaderLock gives without DATABASE_URL', async () => {
    const lock = await openLeaderLock({ DATABASE_URL: undefined });
    expect(await lock.tryAcquire()).toBe(true);
    expect(await lock.tryAcquire()).toBe(true);
  });
});
