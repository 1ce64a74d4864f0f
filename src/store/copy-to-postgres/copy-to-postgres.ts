import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { buildDeferredIndexes, deferGinIndexes, DEFER_INDEXES_FROM_ROWS } from '../postgres/deferred-indexes.ts';
import { withMigrationLock } from '../postgres/migrate.ts';
import { quoteIdentifier as quote, type PgDb } from '../postgres/pg-db.ts';
import * as schema from '../postgres/schema.ts';
import { copyTables, type CopyTable } from './copy-tables.ts';
import { describeRow } from './describe-row.ts';

// Copies a SQLite install into a migrated PostgreSQL schema, ids included. Resumable and
// idempotent: each batch is one INSERT (its own transaction) that skips rows already there, so a
// run killed half-way is completed by the next, and a second run copies nothing. The source is
// read inside one read transaction: a consistent snapshot even if a bot still writes to it.
// Before writing anything, every row already in the target must be the source's row of that key:
// another install's data is refused, never merged (paging cursors a search on a half-done copy
// saved are deleted instead: CopyTable.dropsForeignRows). A table with many rows to write is filled
// without its GIN indexes, built once at the end (postgres/deferred-indexes.ts).

export type CopyProgress = { table: string; done: number; total: number };
type TableCount = { table: string; source: number; target: number; copied: number };
export type CopyReport = { tables: TableCount[]; verified: boolean };

/** The target holds data that is not this source's: nothing was written. */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

type Row = Record<string, unknown>;

type CopyOptions = {
  /** Rows per INSERT (one transaction each). */
  batchSize?: number;
  /**
   * INSERTs in flight at once (each on its own pooled connection): computing the papers'
   * tsvector is most of the work, and the server spreads it over its cores.
   */
  parallel?: number;
  onProgress?: (progress: CopyProgress) => void;
  /** Before building each index the copy deferred (minutes for a million papers). */
  onIndex?: (name: string) => void;
};

export async function copySqliteToPostgres(source: Database.Database, target: pg.Pool, options: CopyOptions = {}): Promise<CopyReport> {
  const batchSize = options.batchSize ?? 2000;
  const parallel = Math.max(1, options.parallel ?? 4);
  const tables = copyTables();
  source.prepare('BEGIN').run();
  try {
    const sourceCounts = new Map(tables.map((table) => [table.name, countSource(source, table)]));
    const checked: Array<{ table: CopyTable; kept: number; foreign: unknown[][] }> = [];
    for (const table of tables) checked.push({ table, ...(await checkTargetRows(source, target, table, batchSize)) });
    for (const { table, kept, foreign } of checked) {
      await deleteRows(target, table, foreign);
      const toWrite = (sourceCounts.get(table.name) ?? 0) - kept;
      if (toWrite >= DEFER_INDEXES_FROM_ROWS) await onOneConnection(target, (db) => deferGinIndexes(db, table.name));
    }
    const copied = new Map<string, number>();
    for (const table of tables) {
      copied.set(table.name, await copyTable(source, target, table, { batchSize, parallel, total: sourceCounts.get(table.name) ?? 0, onProgress: options.onProgress }));
    }
    for (const table of tables) if (table.serial) await moveSequence(source, target, table, table.serial);
    // Under the migration lock: a bot starting on the target meanwhile would build them too.
    await onOneConnection(target, (db) => withMigrationLock(db, () => buildDeferredIndexes(db, options.onIndex)));
    // A bulk load leaves the GIN indexes' pending lists full (every search reads them whole) and the
    // planner without statistics; autovacuum would settle both only later, or never where it is off.
    if ([...copied.values()].some((n) => n > 0)) for (const table of tables) await target.query(`VACUUM (ANALYZE) ${quote(table.name)}`);
    const counts: TableCount[] = [];
    for (const table of tables) {
      counts.push({ table: table.name, source: sourceCounts.get(table.name) ?? 0, target: await countTarget(target, table), copied: copied.get(table.name) ?? 0 });
    }
    return { tables: counts, verified: counts.every((count) => count.source === count.target) };
  } finally {
    source.prepare('ROLLBACK').run();
  }
}

function countSource(source: Database.Database, table: CopyTable): number {
  return Number(source.prepare(`SELECT count(*) FROM ${quote(table.name)}`).pluck().get());
}

async function countTarget(target: pg.Pool, table: CopyTable): Promise<number> {
  const result = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`);
  return Number(result.rows[0]?.n ?? 0);
}

/** A session lock and a transaction each need one connection, not the pool's next free one. */
async function onOneConnection<T>(pool: pg.Pool, work: (db: PgDb) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(drizzle(client, { schema }));
  } finally {
    client.release();
  }
}

/** `(k1, k2) > ($n, $n+1)` over the key columns, with the placeholder style of each engine. */
function afterKey(table: CopyTable, placeholder: (index: number) => string): string {
  const columns = table.key.map(quote).join(', ');
  const values = table.key.map((_, index) => placeholder(index)).join(', ');
  return table.key.length === 1 ? `${columns} > ${values}` : `(${columns}) > (${values})`;
}

/**
 * Every target row must be the source's row of the same key (same identity columns): a partial
 * earlier copy passes, another install or a target the bot has used since is refused. Returns how
 * many target rows are the source's (`kept`) and the keys of those that are not in a table that
 * drops them (`foreign`, CopyTable.dropsForeignRows).
 */
async function checkTargetRows(
  source: Database.Database,
  target: pg.Pool,
  table: CopyTable,
  batchSize: number,
): Promise<{ kept: number; foreign: unknown[][] }> {
  const wanted = [...table.key, ...table.identity];
  const select = wanted.map(quote).join(', ');
  const order = table.key.map(quote).join(', ');
  const lookup = source.prepare(`SELECT ${select} FROM ${quote(table.name)} WHERE ${table.key.map((column) => `${quote(column)} = ?`).join(' AND ')}`);
  let last: unknown[] | null = null;
  const foreign: unknown[][] = [];
  let kept = 0;
  for (;;) {
    const where: string = last === null ? '' : `WHERE ${afterKey(table, (index) => `$${index + 1}`)}`;
    const { rows }: { rows: Row[] } = await target.query<Row>(`SELECT ${select} FROM ${quote(table.name)} ${where} ORDER BY ${order} LIMIT ${batchSize}`, last ?? []);
    for (const row of rows) {
      const keyValues = table.key.map((column) => row[column]);
      const mine = lookup.get(...keyValues.map(sqliteValue)) as Row | undefined;
      const differs = mine !== undefined && table.identity.some((column) => String(mine[column]) !== String(row[column]));
      if ((mine === undefined || differs) && table.dropsForeignRows) foreign.push(keyValues);
      else if (mine === undefined) throw refused(`it has ${describeRow(source, table.name, row)}, which the source does not`);
      else if (differs) throw refused(`it has ${describeRow(source, table.name, row)} where the source has ${describeRow(source, table.name, mine)}`);
      else kept += 1;
    }
    if (rows.length < batchSize) return { kept, foreign };
    const end: Row = rows.at(-1) ?? {};
    last = table.key.map((column) => end[column]);
  }
}

async function deleteRows(target: pg.Pool, table: CopyTable, keys: unknown[][]): Promise<void> {
  const match = table.key.map((column, index) => `${quote(column)} = $${index + 1}`).join(' AND ');
  for (const key of keys) await target.query(`DELETE FROM ${quote(table.name)} WHERE ${match}`, key);
}

function refused(detail: string): CopyRefusedError {
  return new CopyRefusedError(
    `the target already holds data that is not this source's (${detail}): another install's, or written there since an ` +
      'earlier copy; nothing was copied. Copy into an empty PostgreSQL schema or database, or drop this one if nothing in it is needed.',
  );
}

/** pg reads bigint as a string and SQLite binds no booleans. */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

async function copyTable(
  source: Database.Database,
  target: pg.Pool,
  table: CopyTable,
  options: { batchSize: number; parallel: number; total: number; onProgress: CopyOptions['onProgress'] },
): Promise<number> {
  const { batchSize, total, onProgress } = options;
  const columns = table.columns.map(quote).join(', ');
  const order = table.key.map(quote).join(', ');
  const first = source.prepare(`SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${order} LIMIT ?`);
  const next = source.prepare(`SELECT ${columns} FROM ${quote(table.name)} WHERE ${afterKey(table, () => '?')} ORDER BY ${order} LIMIT ?`);
  const present = table.key.map((column) => `t.${quote(column)} = r.${quote(column)}`).join(' AND ');
  // The table's row type reads each JSON value with its column's input function (1 → true for a
  // boolean, an integer for a bigint); the NOT EXISTS spares a rerun the generated columns' work.
  const insert =
    `INSERT INTO ${quote(table.name)} (${columns}) ` +
    `SELECT ${table.columns.map((column) => `r.${quote(column)}`).join(', ')} FROM jsonb_populate_recordset(NULL::${quote(table.name)}, $1::jsonb) AS r ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${quote(table.name)} AS t WHERE ${present}) ON CONFLICT DO NOTHING`;
  let done = 0;
  let copied = 0;
  let last: unknown[] | null = null;
  // A batch killed in flight is simply missing from the target: the next run inserts it.
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (;;) {
    const rows = (last === null ? first.all(batchSize) : next.all(...last, batchSize)) as Row[];
    if (rows.length === 0) break;
    const batch: Promise<void> = target.query(insert, [JSON.stringify(rows)]).then(
      (result) => {
        copied += result.rowCount ?? 0;
        done += rows.length;
        onProgress?.({ table: table.name, done, total });
      },
      (err: unknown) => {
        failure ??= err;
      },
    ).finally(() => inFlight.delete(batch));
    inFlight.add(batch);
    if (inFlight.size >= options.parallel) await Promise.race(inFlight);
    if (failure !== undefined) break;
    if (rows.length < batchSize) break;
    const end: Row = rows.at(-1) ?? {};
    last = table.key.map((column) => end[column]);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  if (done === 0) onProgress?.({ table: table.name, done, total });
  return copied;
}

/** The next id PostgreSQL gives is past every id the source ever gave (SQLite AUTOINCREMENT never reuses one). */
async function moveSequence(source: Database.Database, target: pg.Pool, table: CopyTable, column: string): Promise<void> {
  const hasSequences = source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !== undefined;
  const given = hasSequences ? Number(source.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table.name) ?? 0) : 0;
  const { rows } = await target.query<{ max: string | null }>(`SELECT max(${quote(column)}) AS max FROM ${quote(table.name)}`);
  const highest = Math.max(given, Number(rows[0]?.max ?? 0));
  // setval(…, 1, false): nothing given yet, the next id is 1.
  await target.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)', [quote(table.name), column, Math.max(highest, 1), highest > 0]);
}
