import Database from 'better-sqlite3';
import type pg from 'pg';
import { dispatchCommand } from '../commands/dispatch.ts';
import { fixedClock } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import { replyOptions } from '../src/platforms/discord/reply-options.ts';
import { parseQuery } from '../src/search/parse-query.ts';
import { copySqliteToPostgres } from '../src/store/copy-to-postgres/copy-to-postgres.ts';
import type { Store } from '../src/store/store.ts';
import { benchDeps } from './delivery-harness.ts';
import { generateCorpus, generateNewDays, type CorpusDay } from './generate-corpus.ts';
import { createBenchSchema } from './postgres-schema.ts';
import { captureQueries, explainSlowest } from './postgres-explain.ts';
import { say } from './progress.ts';
import type { BenchQuery } from './queries.ts';
import { figure, type Figure } from './report.ts';
import { nowMs, percentile, sizeLabel } from './stats.ts';
import type { Vocabulary } from './vocabulary.ts';

// `--backend postgres`: the same corpora, queries and commands on PostgreSQL, each figure's
// baseline being SQLite's figure from the same run (ratio = PostgreSQL / SQLite). The corpus is
// loaded by the code `paperboy migrate-to-postgres` runs (multi-row INSERTs of 5,000 rows). Plus
// the replica figure: three stores with pools of their own on one schema, as three replicas,
// under 200 commands at once.

const group = 'PostgreSQL';
const vsSqlite = 'SQLite, same run';

export type PostgresBenchOptions = {
  url: string;
  corpora: Array<{ size: number; path: string; buildRate: number }>;
  queries: BenchQuery[];
  now: number;
  commandRuns: number;
  /** Commands in flight at once in the replica figure, and how many such waves. */
  concurrent: number;
  waves: number;
  replicas: number;
  ingest: { backfillSize: number; seed: number; vocabulary: Vocabulary; days: number };
  /** SQLite's search samples per size and every figure measured so far in this run. */
  sqliteSearch: Map<number, number[]>;
  sqliteFigures: Figure[];
};

const sqliteValue = (figures: Figure[], id: string) => figures.find((f) => f.id === id)?.value ?? null;

export async function runPostgresBench(options: PostgresBenchOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const largest = Math.max(...options.corpora.map((c) => c.size));
  for (const corpus of options.corpora) {
    const label = sizeLabel(corpus.size);
    const schema = await createBenchSchema(options.url, label.toLowerCase());
    say(`postgres: schema ${schema.name}`);
    try {
      const { store, pool } = await schema.openStore(10);
      figures.push(await loadCorpus(pool, corpus, label));
      figures.push(...(await searchFigures(store, pool, options, corpus.size, corpus.size === largest)));
      if (corpus.size === largest) {
        figures.push(...(await commandFigures(store, options, label)));
        const replicas = await Promise.all(Array.from({ length: options.replicas }, () => schema.openStore(10)));
        figures.push(await replicaFigure(replicas.map((r) => r.store), store, options, label));
      }
    } finally {
      await schema.drop();
    }
  }
  figures.push(...(await ingestFigures(options)));
  return figures;
}

async function loadCorpus(pool: pg.Pool, corpus: { size: number; path: string; buildRate: number }, label: string): Promise<Figure> {
  say(`postgres: loading the ${label} corpus (migrate-to-postgres's copy)`);
  const source = new Database(corpus.path, { readonly: true });
  try {
    const start = nowMs();
    let nextReport = corpus.size / 5;
    const report = await copySqliteToPostgres(source, pool, {
      batchSize: 5000,
      onProgress: ({ table, done }) => {
        if (table === 'papers' && done >= nextReport) {
          say(`postgres:   ${done.toLocaleString('en-US')} papers, ${Math.round(done / ((nowMs() - start) / 1000))} papers/s`);
          nextReport += corpus.size / 5;
        }
      },
      onIndex: (name) => say(`postgres:   building index ${name} (deferred during the copy)`),
    });
    const seconds = (nowMs() - start) / 1000;
    const papers = report.tables.find((t) => t.table === 'papers')?.target ?? 0;
    say(`postgres:   ${papers} papers in ${seconds.toFixed(0)} s, counts ${report.verified ? 'verified' : 'DIFFER'}`);
    return figure({
      id: `postgres.load@${label}`, group, name: `load the ${label} corpus (papers, days, GIN indexes built after) via migrate-to-postgres`, unit: 'papers/s', better: 'higher',
      value: papers / seconds, baseline: corpus.buildRate, baselineLabel: 'SQLite corpus build (plain INSERTs, FTS triggers on)',
      note: `${seconds.toFixed(0)} s for ${papers} papers and every other table; row counts ${report.verified ? 'verified' : 'DIFFER'}`,
    });
  } finally {
    source.close();
  }
}

async function searchFigures(store: Store, pool: pg.Pool, options: PostgresBenchOptions, size: number, atLargest: boolean): Promise<Figure[]> {
  const label = sizeLabel(size);
  const run = (q: BenchQuery) => store.searchPapers(parseQuery(q.text), { limit: 10, offset: 0, now: options.now });
  say(`postgres: search: ${options.queries.length} queries at ${label} (warm-up, then timed)`);
  for (const q of options.queries) await run(q);
  const capture = captureQueries(pool);
  const samples: Array<{ text: string; ms: number; sql: ReturnType<typeof capture.take> }> = [];
  try {
    for (const q of options.queries) {
      capture.take();
      const start = nowMs();
      await run(q);
      samples.push({ text: q.text, ms: nowMs() - start, sql: capture.take() });
    }
  } finally {
    capture.stop();
  }
  const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3);
  say(`postgres: search: slowest: ${slowest.map((s) => `${s.text}: ${s.ms.toFixed(1)} ms`).join('; ')}`);
  const ours = samples.map((s) => s.ms);
  const sqlite = options.sqliteSearch.get(size) ?? [];
  const p95 = percentile(ours, 95);
  // Where the slowest time goes, on stderr (for the README's notes on missed goals).
  if (atLargest) await explainSlowest(pool, slowest);
  return [50, 95, 99].map((p) =>
    figure({
      id: `postgres.search.p${p}@${label}`, group, name: `search p${p} of ${samples.length} mixed queries at ${label} papers`, unit: 'ms', better: 'lower',
      value: percentile(ours, p), baseline: sqlite.length > 0 ? percentile(sqlite, p) : null, baselineLabel: `${vsSqlite}: store.searchPapers`,
      ...(p === 95 && size >= 1_000_000 ? { goal: { text: '< 50 ms at 1M', met: p95 < 50 } } : {}),
      ...(p === 99 ? { note: `slowest: ${slowest.map((s) => `${s.text} ${s.ms.toFixed(0)} ms`).join('; ')}` } : {}),
    }),
  );
}

type Request = { name: string; rawOptions: Record<string, unknown> };

function requests(options: PostgresBenchOptions, count: number, name?: 'search' | 'today'): Request[] {
  return Array.from({ length: count }, (_, i): Request => {
    const search = name === 'search' || (name === undefined && i % 2 === 0);
    return search ? { name: 'search', rawOptions: { query: options.queries[i % options.queries.length]?.text ?? 'model' } } : { name: 'today', rawOptions: {} };
  });
}

/** One command as the Discord adapter runs it: dispatch, then render the reply. */
async function runCommand(deps: Deps, request: Request, i: number): Promise<void> {
  const reply = await dispatchCommand(deps, {
    ...request,
    user: { platform: 'discord', id: `bench-user-${i % 1000}` },
    channel: { platform: 'discord', id: 'bench-channel', isDm: false },
    isAdmin: false,
  });
  if (reply.kind === 'error') throw new Error(`/papers ${request.name} answered an error: ${reply.text}`);
  replyOptions(reply);
}

const commandDeps = (store: Store, now: number): Deps => ({ ...benchDeps({ COMMAND_RATE_LIMIT: '10000' }, store), clock: fixedClock(new Date(now).toISOString()) });

async function commandFigures(store: Store, options: PostgresBenchOptions, label: string): Promise<Figure[]> {
  const deps = commandDeps(store, options.now);
  const figures: Figure[] = [];
  for (const command of ['search', 'today'] as const) {
    const list = requests(options, options.commandRuns, command);
    say(`postgres: /papers ${command} × ${list.length} (Discord renderer)`);
    for (const [i, request] of list.slice(0, 20).entries()) await runCommand(deps, request, i);
    const samples: number[] = [];
    for (const [i, request] of list.entries()) {
      const start = nowMs();
      await runCommand(deps, request, i);
      samples.push(nowMs() - start);
    }
    const p99 = percentile(samples, 99);
    figures.push(
      figure({
        id: `postgres.command.${command}.p99@${label}`, group, name: `/papers ${command} p99 via dispatchCommand + Discord renderer at ${label}`, unit: 'ms', better: 'lower',
        value: p99, baseline: sqliteValue(options.sqliteFigures, `command.${command}.discord.p99@${label}`), baselineLabel: vsSqlite,
        goal: { text: '< 50 ms', met: p99 < 50 },
        note: `p50 ${percentile(samples, 50).toFixed(1)} ms over ${samples.length} runs, one at a time`,
      }),
    );
  }
  return figures;
}

/** Latency of every command of `waves` waves of `concurrent` commands started at once, spread over `stores`. */
async function underLoad(stores: Store[], options: PostgresBenchOptions): Promise<number[]> {
  const deps = stores.map((store) => commandDeps(store, options.now));
  const list = requests(options, options.concurrent);
  await Promise.all(list.slice(0, 20).map((request, i) => runCommand(deps[i % deps.length] as Deps, request, i)));
  const samples: number[] = [];
  for (let wave = 0; wave < options.waves; wave += 1) {
    const start = nowMs();
    await Promise.all(
      list.map(async (request, i) => {
        await runCommand(deps[i % deps.length] as Deps, request, wave * options.concurrent + i);
        samples.push(nowMs() - start);
      }),
    );
  }
  return samples;
}

async function replicaFigure(replicas: Store[], single: Store, options: PostgresBenchOptions, label: string): Promise<Figure> {
  say(`postgres: ${options.waves} waves of ${options.concurrent} concurrent commands over ${replicas.length} replicas, then over one`);
  const spread = await underLoad(replicas, options);
  const alone = await underLoad([single], options);
  return figure({
    id: `postgres.replicas.p99@${label}`, group, name: `command p99, ${options.concurrent} at once over ${replicas.length} replicas (search + today) at ${label}`, unit: 'ms', better: 'lower',
    value: percentile(spread, 99), baseline: percentile(alone, 99), baselineLabel: `one replica, same load`,
    note: `p50 ${percentile(spread, 50).toFixed(0)} ms; latency from the wave's start (queueing included); ${replicas.length} stores with a pool of 10 each in one process, so the replicas share one event loop and the server's cores`,
  });
}

async function ingestFigures(options: PostgresBenchOptions): Promise<Figure[]> {
  const { backfillSize, seed, vocabulary, days } = options.ingest;
  const label = sizeLabel(backfillSize);
  say(`postgres: ingest: a ${label}-paper backfill through store.upsertPapers, then ${days} new days of 100`);
  const backfillDays = [...generateCorpus({ seed: seed + 7, size: backfillSize, vocabulary })];
  const newDays = generateNewDays({ seed, days, perDay: 100, firstDate: '2026-10-01', vocabulary });
  const schema = await createBenchSchema(options.url, 'ingest');
  try {
    const { store } = await schema.openStore(4);
    const write = (day: CorpusDay) => store.upsertPapers(day.feedDate, day.papers, Date.parse(`${day.feedDate}T06:00:00Z`));
    const start = nowMs();
    let items = 0;
    for (const day of backfillDays) {
      await write(day);
      items += day.papers.length;
    }
    const rate = items / ((nowMs() - start) / 1000);
    const dayRates: number[] = [];
    for (const day of newDays) {
      const dayStart = nowMs();
      await write(day);
      dayRates.push(day.papers.length / ((nowMs() - dayStart) / 1000));
    }
    return [
      figure({
        id: 'postgres.ingest.backfill', group, name: `backfill of ${label} papers via upsertPapers`, unit: 'papers/s', better: 'higher',
        value: rate, baseline: sqliteValue(options.sqliteFigures, 'ingest.backfill'), baselineLabel: vsSqlite,
      }),
      figure({
        id: 'postgres.ingest.day', group, name: `one day of 100 new papers into ${label} (median of ${days})`, unit: 'papers/s', better: 'higher',
        value: percentile(dayRates, 50), baseline: sqliteValue(options.sqliteFigures, 'ingest.day'), baselineLabel: vsSqlite,
      }),
    ];
  } finally {
    await schema.drop();
  }
}
