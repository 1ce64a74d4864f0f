import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { soleLeaderLock, type LeaderLock } from './leader-lock.ts';
import { DatabaseOpenError, innermostMessage } from './sqlite/db-path.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration names: PostgreSQL when DATABASE_URL is set (migrated under the
 * migration lock, so replicas that start together migrate once), else SQLite at DATABASE_PATH.
 * The PostgreSQL modules (node-postgres, drizzle's pg dialect: ~8 MB resident) are loaded only
 * then, so a SQLite bot never has them in memory. `log` hears of each search index a killed
 * `migrate-to-postgres` left unbuilt, before opening builds it (minutes for a million papers).
 */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>, log?: Pick<Logger, 'warn'>): Promise<Store> {
  if (config.DATABASE_URL === undefined) return openSqliteStore(config.DATABASE_PATH);
  const { openPostgres } = await import('./postgres/open-postgres.ts');
  const { createPostgresStore } = await import('./postgres/postgres-store.ts');
  try {
    const onIndex = (index: string) => log?.warn({ index }, 'building a search index a killed migrate-to-postgres left unbuilt (minutes for a million papers)');
    const db = await openPostgres(config.DATABASE_URL, { deferredIndexes: { build: true, onIndex } });
    return createPostgresStore(db, () => db.$client.end());
  } catch (err) {
    const reason = innermostMessage(err) || (err instanceof Error && 'code' in err ? String(err.code) : 'no answer');
    throw new DatabaseOpenError(`DATABASE_URL=${describeDatabase(config)}: cannot open the database (${reason}).`, { cause: err });
  }
}

/**
 * The leader lock beside that store (src/replicas/ decides what it is for): on PostgreSQL an
 * advisory lock on a connection of its own, on SQLite always held (one process owns the file).
 * Connects lazily, at the first attempt.
 */
export async function openLeaderLock(config: Pick<Config, 'DATABASE_URL'>): Promise<LeaderLock> {
  if (config.DATABASE_URL === undefined) return soleLeaderLock();
  const { createPostgresLeaderLock } = await import('./postgres/leader-lock.ts');
  return createPostgresLeaderLock({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 10_000 });
}

/**
 * Where the data lives, for logs and status: never the URL's password; the schema when `schema`
 * or the URL (`?options=-c search_path=…`, as the store reads it) names one.
 */
export function describeDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>, schema?: string): string {
  if (config.DATABASE_URL === undefined) return config.DATABASE_PATH;
  const url = new URL(config.DATABASE_URL);
  const named = schema ?? /(?:^|\s)(?:-c\s*|--)search_path=(\S+)/.exec(url.searchParams.get('options') ?? '')?.[1];
  return `postgres://${url.host}${url.pathname}${named === undefined ? '' : `, schema ${named}`}`;
}
