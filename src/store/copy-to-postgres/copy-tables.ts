import { is } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pgSchema from '../postgres/schema.ts';
import * as sqliteSchema from '../sqlite/schema.ts';

// What `migrate-to-postgres` copies, read from the two drizzle schemas (so a table added to both
// is copied without a change here): every SQLite table but the live-process ones below, in an
// order where a row's parent comes first, with the columns both sides have.

export type CopyTable = {
  name: string;
  /** Copied columns, SQL names (a generated column such as papers.search_vector is computed by PostgreSQL). */
  columns: string[];
  /** Primary key columns: the copy walks the table in this order, a batch at a time. */
  key: string[];
  /**
   * What says which row a key holds, beyond the key itself. A target row whose key is in the
   * source with other identity values belongs to another install (paper 12 is not the same paper).
   */
  identity: string[];
  /** The identity column whose sequence is moved past the copied ids. */
  serial: string | null;
  /**
   * Rows the target has and the source does not are deleted instead of refused: short-lived state
   * that using a half-done copy writes (a search saves its Next cursor), never another install's sign.
   */
  dropsForeignRows: boolean;
};

/** Columns that tell two installs' rows apart where the key is a bare number. */
const identities: Record<string, string[]> = {
  papers: ['arxiv_id'],
  ingest_runs: ['feed_date', 'started_at'],
  watches: ['platform', 'user_id', 'query_key'],
  deliveries: ['idempotency_key'],
  rate_limit_events: ['source', 'at'],
};

/**
 * State of the processes running now, not of the install: heartbeats of replicas (rewritten every
 * few seconds by whichever run) and the command budget's hits (one sliding minute); and the watch
 * matcher's forms, a cache of what each backend's own tokenizer made (rebuilt at the first start).
 */
const liveOnly = new Set(['replicas', 'command_hits', 'watch_forms']);

/** See CopyTable.dropsForeignRows: paging cursors expire within a day anyway. */
const shortLived = new Set(['page_cursors']);

function sqliteTables(): SQLiteTable[] {
  return Object.values(sqliteSchema as Record<string, unknown>)
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .filter((table) => !liveOnly.has(sqliteTableConfig(table).name));
}

function pgTables(): Map<string, PgTable> {
  const tables = Object.values(pgSchema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));
  return new Map(tables.map((table) => [pgTableConfig(table).name, table]));
}

/** The tables to copy, parents before children. Throws when the two schemas disagree (a bug, caught by the tests). */
export function copyTables(): CopyTable[] {
  const targets = pgTables();
  const plans = sqliteTables().map((table) => {
    const source = sqliteTableConfig(table);
    const target = targets.get(source.name);
    if (!target) throw new Error(`table ${source.name} has no PostgreSQL twin`);
    const targetConfig = pgTableConfig(target);
    const targetColumns = new Map(targetConfig.columns.map((column) => [column.name, column]));
    const columns = source.columns.map((column) => column.name);
    for (const name of columns) {
      if (!targetColumns.has(name)) throw new Error(`column ${source.name}.${name} has no PostgreSQL twin`);
    }
    const missing = targetConfig.columns.filter((column) => column.generated === undefined && !columns.includes(column.name) && column.notNull && !column.hasDefault);
    if (missing.length > 0) throw new Error(`${source.name}: PostgreSQL requires ${missing.map((column) => column.name).join(', ')}, which SQLite lacks`);
    const single = source.columns.filter((column) => column.primary).map((column) => column.name);
    const key = single.length > 0 ? single : (source.primaryKeys[0]?.columns.map((column) => column.name) ?? []);
    if (key.length === 0) throw new Error(`table ${source.name} has no primary key`);
    const serial = targetConfig.columns.find((column) => column.generatedIdentity !== undefined)?.name ?? null;
    const parents = source.foreignKeys.map((fk) => sqliteTableConfig(fk.reference().foreignTable).name);
    return { plan: { name: source.name, columns, key, identity: identities[source.name] ?? [], serial, dropsForeignRows: shortLived.has(source.name) }, parents };
  });
  // Parents first, also among tables that could go in any order: a target of another install is
  // then told by its papers, the clearest sign.
  const referenced = new Set(plans.flatMap(({ parents }) => parents));
  plans.sort((a, b) => Number(referenced.has(b.plan.name)) - Number(referenced.has(a.plan.name)));
  const ordered: CopyTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < plans.length) {
    const ready = plans.filter(({ plan, parents }) => !placed.has(plan.name) && parents.every((parent) => placed.has(parent) || parent === plan.name));
    if (ready.length === 0) throw new Error('the tables reference each other in a cycle');
    for (const { plan } of ready) {
      ordered.push(plan);
      placed.add(plan.name);
    }
  }
  return ordered;
}
