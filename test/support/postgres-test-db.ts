import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openPostgres, type PostgresDb } from '../../src/store/postgres/open-postgres.ts';
import type { PgDb } from '../../src/store/postgres/pg-db.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';

// PostgreSQL for tests: the local server (127.0.0.1:5432, trust auth, database `test`) with a
// schema of its own per call, dropped on close, so test files run in parallel and leave nothing.
// No server: REQUIRE_POSTGRES=1 (CI) fails; otherwise PGlite (PostgreSQL in WebAssembly,
// in-process, one connection) stands in for the single-process tests.

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type PgTestDb = {
  db: PgDb;
  backend: 'server' | 'pglite';
  /** The schema every table of this handle lives in. */
  schema: string;
  /** The server URL (only for `backend: 'server'`), for tests that open more pools on `schema`. */
  url?: string;
  close(): Promise<void>;
};

let reachable: Promise<boolean> | undefined;

/** Whether the server answers (asked once per test file). */
export function postgresServerReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (err) {
      if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${TEST_POSTGRES_URL} is unreachable`, { cause: err });
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export const newSchemaName = () => `pb_test_${randomBytes(6).toString('hex')}`;

/** A DATABASE_URL whose connections use `schema` (as a separate process such as the CLI or a replica needs). */
export function schemaUrl(schema: string, base = TEST_POSTGRES_URL): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Runs one statement on a short-lived connection (schema creation and cleanup). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// Migrating a schema is ~1 s of DDL; emptying one is a DELETE per table. A closed test schema whose
// objects are still exactly as migrated (same shape) is emptied and handed to the worker's next
// caller, in this file or a later one; a schema a test changed is dropped. The spares are named
// with the run's prefix and dropped when the run ends (postgres-run.ts).
const spareSchemas: string[] = [];
let migratedShape: string | undefined;

// The connection that checks and empties closed schemas, one per file: connecting costs more than
// the emptying. Used by one recycling at a time (a failed DELETE must be rolled back before the
// next statement), and opened again after any failure.
let recycler: Promise<pg.Client> | undefined;
let recycling: Promise<unknown> = Promise.resolve();

async function connectRecycler(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  // A connection the server ends between uses fails its next query instead of the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function withRecycler<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const turn = recycling.then(async () => {
    recycler ??= connectRecycler();
    const opening = recycler;
    try {
      return await work(await opening);
    } catch (err) {
      recycler = undefined;
      await opening.then((client) => client.end()).catch(() => undefined);
      throw err;
    }
  });
  recycling = turn.catch(() => undefined);
  return turn;
}

/** Ends the recycling connection after a file's tests (the spare schemas are kept for the next file). */
export async function endRecycling(): Promise<void> {
  await recycling;
  const open = recycler;
  recycler = undefined;
  await open?.then((client) => client.end()).catch(() => undefined);
}

/** Every object of `schema` and its migrations, as one digest: equal digests, equal schemas. */
const SHAPE = `
  SELECT md5(concat_ws('|',
    (SELECT string_agg(c.relname::text || ':' || c.relkind::text || ':' || coalesce(
        (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || (CASE WHEN attnotnull THEN '!' ELSE '' END), ',' ORDER BY attnum)
           FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), ''), ',' ORDER BY c.relname)
       FROM pg_class c WHERE c.relnamespace = $1::regnamespace),
    (SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = $1::regnamespace),
    (SELECT string_agg(t.tgname || ':' || t.tgrelid::regclass::text, ',' ORDER BY 1) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal),
    (SELECT string_agg(proname || ':' || md5(prosrc), ',' ORDER BY 1) FROM pg_proc WHERE pronamespace = $1::regnamespace),
    (SELECT string_agg(cfgname, ',' ORDER BY 1) FROM pg_ts_config WHERE cfgnamespace = $1::regnamespace),
    (SELECT string_agg(dictname, ',' ORDER BY 1) FROM pg_ts_dict WHERE dictnamespace = $1::regnamespace)
  )) AS shape`;

async function schemaShape(client: pg.Client, schema: string): Promise<string> {
  // regclass text names tables through the search path: the same for every schema it is run on.
  await client.query(`SET search_path = ${schema}`);
  const result = await client.query<{ shape: string }>(SHAPE, [schema]);
  const migrations = await client.query<{ n: string }>('SELECT count(*) AS n FROM __drizzle_migrations');
  return `${result.rows[0]?.shape ?? ''}:${migrations.rows[0]?.n ?? ''}`;
}

/**
 * Deletes every row of `schema` and restarts its sequences, as TRUNCATE … RESTART IDENTITY would.
 * DELETE, not TRUNCATE: a test's few rows go in ~20 ms, where TRUNCATE gives every table and index
 * new files (0.2–1 s per schema on a busy machine, paid after every PostgreSQL test). One
 * transaction, so the foreign keys (all ON DELETE CASCADE) may be met in any order; should one
 * ever refuse, TRUNCATE … CASCADE does it instead.
 */
async function emptySchema(client: pg.Client, schema: string): Promise<void> {
  const tables = await client.query<{ name: string }>(
    `SELECT quote_ident(relname) AS name FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'p') AND relname <> '__drizzle_migrations'`,
    [schema],
  );
  const names = tables.rows.map((row) => `${schema}.${row.name}`);
  try {
    await client.query(`BEGIN; ${names.map((name) => `DELETE FROM ${name};`).join(' ')} COMMIT`);
  } catch {
    await client.query('ROLLBACK');
    await client.query(`TRUNCATE ${names.join(', ')} CASCADE`);
  }
  await client.query(
    `SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) FROM pg_sequences WHERE schemaname = $1 AND last_value IS NOT NULL`,
    [schema],
  );
}

/** Empties `schema` for reuse when its shape is the migrated one; otherwise drops it. */
function recycleSchema(schema: string): Promise<void> {
  return withRecycler(async (client) => {
    if ((await schemaShape(client, schema)) === migratedShape) {
      await emptySchema(client, schema);
      spareSchemas.push(schema);
    } else {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });
}

/** A migrated, empty PostgreSQL database: the server when reachable, else PGlite. */
export async function createPostgresTestDb(): Promise<PgTestDb> {
  if (await postgresServerReachable()) {
    const spare = spareSchemas.pop();
    const schema = spare ?? `${inject('postgresSchemaPrefix')}${randomBytes(6).toString('hex')}`;
    if (spare === undefined) await adminQuery(`CREATE SCHEMA ${schema}`);
    const db = await openPostgres(TEST_POSTGRES_URL, { searchPath: schema, max: 4 });
    migratedShape ??= await withRecycler((client) => schemaShape(client, schema));
    return {
      db,
      backend: 'server',
      schema,
      url: TEST_POSTGRES_URL,
      async close() {
        await db.$client.end();
        await recycleSchema(schema);
      },
    };
  }
  return createPgliteTestDb(newSchemaName());
}

async function createPgliteTestDb(schema: string): Promise<PgTestDb> {
  // Imported only here: a devDependency, and a 10 MB WebAssembly module.
  const [{ PGlite }, { drizzle }, { migrate }, { migrateLocked }, schemaModule] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
    import('../../src/store/postgres/migrate.ts'),
    import('../../src/store/postgres/schema.ts'),
  ]);
  const client = new PGlite();
  await client.exec(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
  const db = drizzle(client, { schema: schemaModule });
  await migrateLocked(db, (config) => migrate(db, config));
  return {
    db,
    backend: 'pglite',
    schema,
    async close() {
      await client.close();
    },
  };
}

/**
 * Inside a `describe` of the server-only tests: a test schema reached through two pools, as two
 * replicas would. Opened before the block's tests, closed after them.
 */
export function useTwoConnections(max: number): { first: () => PgTestDb; second: () => PostgresDb } {
  let first: PgTestDb | undefined;
  let second: PostgresDb | undefined;
  beforeAll(async () => {
    first = await createPostgresTestDb();
    second = await openPostgres(first.url ?? '', { searchPath: first.schema, max });
  }, 120_000);
  afterAll(async () => {
    await second?.$client.end();
    await first?.close();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the two connections are opened in beforeAll');
    return value;
  };
  return { first: () => opened(first), second: () => opened(second) };
}

const lazyStores: Store[] = [];

/**
 * A PostgreSQL store handed out at once, for synchronous helpers (testDeps and createTestStore
 * under PAPERBOY_TEST_BACKEND=postgres): its schema is created and migrated in the background and
 * every method waits for that first. `closeLazyPostgresStores` (after each file: each-file.ts) drops them all.
 * Reading `db` throws: a test that reaches into SQLite tables runs on SQLite only.
 */
export function lazyPostgresTestStore(): Store {
  const opening = createPostgresTestDb().then((handle) => createPostgresStore(handle.db, () => handle.close()));
  // A failure surfaces on the first call; this keeps it from being reported as unhandled too.
  opening.catch(() => undefined);
  const store = new Proxy({} as Store, {
    get(_target, name) {
      if (name === 'dialect') return 'postgres';
      if (name === 'db') throw new Error('this test reads tables through the SQLite handle (`db`): it runs on SQLite only');
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const opened = await opening;
        const method: unknown = Reflect.get(opened, name);
        if (typeof method !== 'function') throw new Error(`the store has no method ${name}`);
        return method.apply(opened, args) as unknown;
      };
    },
  });
  lazyStores.push(store);
  return store;
}

/** Closes every store `lazyPostgresTestStore` handed out (each close is idempotent). */
export async function closeLazyPostgresStores(): Promise<void> {
  await Promise.all(lazyStores.splice(0).map((store) => store.close()));
}

/** The backend synchronous test helpers build on: PAPERBOY_TEST_BACKEND, SQLite unless it says postgres. */
export function testBackend(): 'sqlite' | 'postgres' {
  const value = process.env.PAPERBOY_TEST_BACKEND ?? 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres') throw new Error(`PAPERBOY_TEST_BACKEND must be sqlite or postgres, not ${JSON.stringify(value)}`);
  return value;
}
