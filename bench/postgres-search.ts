import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseQuery } from '../src/search/parse-query.ts';
import { copySqliteToPostgres } from '../src/store/copy-to-postgres/copy-to-postgres.ts';
import { openPostgres } from '../src/store/postgres/open-postgres.ts';
import { createPostgresStore } from '../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ensureCorpusDb } from './corpus-db.ts';
import { defaultEndDate } from './generate-corpus.ts';
import { backendCpu } from './postgres-cpu.ts';
import { captureQueries, explainSlowest } from './postgres-explain.ts';
import { defaultBenchUrl } from './postgres-schema.ts';
import { say } from './progress.ts';
import { generateQueries, type BenchQuery } from './queries.ts';
import { nowMs, parseSize, percentile, sizeLabel } from './stats.ts';
import { loadVocabulary } from './vocabulary.ts';

// Iterating on the PostgreSQL search SQL without reloading a corpus each time (a 1M load takes
// ~35 min, most of it building the GIN indexes after the copy): `npx tsx bench/postgres-search.ts --size 1m` loads the cached corpus once into a
// schema it keeps (`pb_bench_keep_<size>`), then times the bench's 300 queries through
// store.searchPapers, with SQLite's timing of the same queries next to each figure. Opening the
// store applies pending migrations, so a new migration is tried on the loaded rows. `--explain N`
// prints EXPLAIN (ANALYZE, BUFFERS) of the N slowest; `--drop` drops the schema and ends.
// `--results FILE` writes every query's whole ranking (all ranked ids, scores, total, capped), one
// JSON line a query; `--compare FILE` checks this code's rankings against such a file, query by
// query: a change to the search SQL must not change a result.

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' },
    seed: { type: 'string', default: '42' },
    'pg-url': { type: 'string' },
    reload: { type: 'boolean', default: false },
    drop: { type: 'boolean', default: false },
    explain: { type: 'string', default: '0' },
    kind: { type: 'string' },
    sqlite: { type: 'boolean', default: true },
    rounds: { type: 'string', default: '1' },
    results: { type: 'string' },
    compare: { type: 'string' },
  },
});

const size = parseSize(values.size ?? '100k');
const seed = Number(values.seed);
const url = values['pg-url'] ?? process.env.DATABASE_URL ?? defaultBenchUrl;
const schema = `pb_bench_keep_${sizeLabel(size).toLowerCase()}`;
const now = Date.parse(`${defaultEndDate}T12:00:00Z`);

async function admin<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

if (values.drop) {
  await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  say(`dropped ${schema}`);
  process.exit(0);
}

const vocabulary = loadVocabulary(seed);
const corpus = ensureCorpusDb(size, seed, vocabulary);
const exists = (await admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = '${schema}'`))[0]?.n === 1;
const loaded = exists && !values.reload && (await admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = '${schema}' AND tablename = 'papers'`))[0]?.n === 1;
if (!loaded) {
  await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin(`CREATE SCHEMA ${schema}`);
}
const POOL_MAX = 4;
const db = await openPostgres(url, { searchPath: schema, max: POOL_MAX });
const store = createPostgresStore(db, () => db.$client.end());
try {
  if (!loaded) {
    say(`loading the ${sizeLabel(size)} corpus into ${schema}`);
    const source = new Database(corpus.path, { readonly: true });
    const start = nowMs();
    try {
      const report = await copySqliteToPostgres(source, db.$client, { batchSize: 5000, onIndex: (name) => say(`building index ${name}`) });
      say(`loaded in ${((nowMs() - start) / 1000).toFixed(0)} s, counts ${report.verified ? 'verified' : 'DIFFER'}`);
    } finally {
      source.close();
    }
  }
  // This schema's tables only: a database-wide ANALYZE waits behind any other schema's index build.
  await db.$client.query('ANALYZE papers');
  const queries = generateQueries({ seed, count: 300, vocabulary, endDate: defaultEndDate }).filter((q) => !values.kind || q.kind === values.kind);
  const sqliteMs = new Map<string, number>();
  if (values.sqlite) {
    const sqlite = openSqliteStore(corpus.path);
    try {
      for (const q of queries) await sqlite.searchPapers(parseQuery(q.text), { limit: 10, offset: 0, now });
      for (const q of queries) {
        const start = nowMs();
        await sqlite.searchPapers(parseQuery(q.text), { limit: 10, offset: 0, now });
        sqliteMs.set(q.text, nowMs() - start);
      }
    } finally {
      await sqlite.close();
    }
  }
  const run = (q: BenchQuery) => store.searchPapers(parseQuery(q.text), { limit: 10, offset: 0, now });
  say(`${queries.length} queries on ${schema}: warm-up, then timed`);
  for (const q of queries) await run(q);
  const serverCpu = await backendCpu(db.$client, POOL_MAX);
  const capture = captureQueries(db.$client);
  // With --rounds N, each query's figures are its median over N rounds (a loaded machine's noise).
  const rounds = Math.max(1, Number(values.rounds));
  const runs: Array<Array<{ ms: number; cpu: number; total: number; sql: ReturnType<typeof capture.take> }>> = queries.map(() => []);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [i, q] of queries.entries()) {
        capture.take();
        const cpuBefore = serverCpu();
        const start = nowMs();
        const result = await run(q);
        const ms = nowMs() - start;
        runs[i]?.push({ ms, cpu: serverCpu() - cpuBefore, total: result.total, sql: capture.take() });
      }
    }
  } finally {
    capture.stop();
  }
  const median = (xs: number[]) => percentile(xs, 50);
  const samples = queries.map((q, i) => {
    const some = runs[i] ?? [];
    return { q, ms: median(some.map((r) => r.ms)), cpu: median(some.map((r) => r.cpu)), total: some[0]?.total ?? 0, sql: some[0]?.sql ?? [] };
  });
  const line = (label: string, ms: number[], base: number[]) =>
    `${label.padEnd(10)} n=${String(ms.length).padStart(3)}  p50 ${percentile(ms, 50).toFixed(1).padStart(7)}  p95 ${percentile(ms, 95).toFixed(1).padStart(7)}  p99 ${percentile(ms, 99).toFixed(1).padStart(7)}` +
    (base.length > 0 ? `   | SQLite p50 ${percentile(base, 50).toFixed(1)}  p95 ${percentile(base, 95).toFixed(1)}  p99 ${percentile(base, 99).toFixed(1)}` : '');
  const baseOf = (list: typeof samples) => list.flatMap((s) => (sqliteMs.has(s.q.text) ? [sqliteMs.get(s.q.text) ?? 0] : []));
  process.stdout.write(`${line('all', samples.map((s) => s.ms), baseOf(samples))}\n`);
  process.stdout.write(`${line('server CPU', samples.map((s) => s.cpu), [])}   (sum ${samples.reduce((sum, s) => sum + s.cpu, 0).toFixed(0)} ms)\n`);
  for (const kind of [...new Set(samples.map((s) => s.q.kind))]) {
    const some = samples.filter((s) => s.q.kind === kind);
    process.stdout.write(`${line(kind, some.map((s) => s.ms), baseOf(some))}\n`);
  }
  const slowest = [...samples].sort((a, b) => b.ms - a.ms);
  for (const s of slowest.slice(0, 15)) process.stdout.write(`  ${s.ms.toFixed(1).padStart(7)} ms (CPU ${s.cpu.toFixed(1).padStart(6)})  ${s.q.kind.padEnd(8)} ${s.q.text}  (${s.total} ranked; SQLite ${sqliteMs.get(s.q.text)?.toFixed(1) ?? '—'} ms)\n`);
  if (values.results || values.compare) await checkRankings(queries);
  const explain = Number(values.explain);
  if (explain > 0) await explainSlowest(db.$client, slowest.slice(0, explain).map((s) => ({ text: s.q.text, ms: s.ms, sql: s.sql })));
} finally {
  await store.close();
}

/** Every query's whole ranking, written to --results and/or compared with --compare's file. */
async function checkRankings(queries: BenchQuery[]): Promise<void> {
  const lines: string[] = [];
  for (const q of queries) {
    const r = await store.searchPapers(parseQuery(q.text), { limit: 100_000, offset: 0, now });
    lines.push(JSON.stringify({ text: q.text, total: r.total, capped: r.capped, estimated: r.estimatedMatches ?? null, ranked: r.results.map((x) => [x.paper.id, x.score]) }));
  }
  if (values.results) {
    writeFileSync(values.results, `${lines.join('\n')}\n`);
    say(`wrote ${lines.length} rankings to ${values.results}`);
  }
  if (values.compare) {
    const before = new Map(readFileSync(values.compare, 'utf8').split('\n').filter((l) => l !== '').map((l) => [(JSON.parse(l) as { text: string }).text, l]));
    const differ = queries.filter((q, i) => before.get(q.text) !== lines[i]);
    process.stdout.write(`rankings: ${queries.length - differ.length} of ${queries.length} identical to ${values.compare}\n`);
    for (const q of differ.slice(0, 20)) process.stdout.write(`  differs: ${q.text}\n`);
  }
}
