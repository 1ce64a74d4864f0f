import type pg from 'pg';
import { say } from './progress.ts';

// Where a slow PostgreSQL search spends its time: the statements the store sent for one query
// are recorded off the pool, and the slowest queries' statements are run again under
// EXPLAIN (ANALYZE, BUFFERS), printed to stderr for the README's "goals missed" notes.

export type Statement = { text: string; values: unknown[] };

/** Records every statement sent through `pool.query` until `stop()`; `take()` returns those since the last take. */
export function captureQueries(pool: pg.Pool): { take(): Statement[]; stop(): void } {
  const original = pool.query;
  let seen: Statement[] = [];
  const recording = function (this: pg.Pool, config: unknown, values?: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : typeof config === 'object' && config !== null && 'text' in config ? String(config.text) : '';
    const params = Array.isArray(values) ? values : typeof config === 'object' && config !== null && 'values' in config && Array.isArray(config.values) ? config.values : [];
    if (text) seen.push({ text, values: params });
    return Reflect.apply(original, this, [config, values, ...rest]) as unknown;
  };
  pool.query = recording as typeof pool.query;
  return {
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
    stop() {
      pool.query = original;
    },
  };
}

export async function explainSlowest(pool: pg.Pool, slowest: Array<{ text: string; ms: number; sql: Statement[] }>): Promise<void> {
  for (const query of slowest) {
    say(`postgres: EXPLAIN ANALYZE of "${query.text}" (${query.ms.toFixed(0)} ms, ${query.sql.length} statements)`);
    for (const statement of query.sql) {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
      process.stderr.write(`${statement.text}\n-- values: ${JSON.stringify(statement.values)}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n\n`);
    }
  }
}
