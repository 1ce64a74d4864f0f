import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureCorpusDb } from './corpus-db.ts';
import { expectedFigures, type ExpectedFigure, type SectionId } from './expected-figures.ts';
import { describeMachine } from './machine.ts';
import { say } from './progress.ts';
import { generateQueries } from './queries.ts';
import { completeFigures, figure, formatNotes, formatTable, writeResults, type BenchResults, type Figure } from './report.ts';
import { parseSize, percentile, sizeLabel } from './stats.ts';
import { removeScratchDir } from './temp-db.ts';
import { loadVocabulary } from './vocabulary.ts';
import { defaultEndDate } from './generate-corpus.ts';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

// `npm run bench [-- --quick] [-- --size 100k|1m] [-- --only search,ingest] [-- --backend postgres]`:
// builds (or reuses) the seeded corpora, runs every section, prints the table and writes
// bench/results.json. `--backend postgres` adds the PostgreSQL section (postgres.bench.ts) after the
// SQLite ones, on a scratch schema of `--pg-url` (default DATABASE_URL, else the local test server). A section that
// throws is reported (its rows say why) and the others still run. Benchmarks are not tests: nothing
// here fails the run because a goal was missed; the table says so.

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    size: { type: 'string', multiple: true },
    seed: { type: 'string', default: '42' },
    only: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string', default: 'sqlite' },
    'pg-url': { type: 'string' },
  },
});
if (values.backend !== 'sqlite' && values.backend !== 'postgres') throw new Error(`--backend must be sqlite or postgres, got ${values.backend}`);
const postgres = values.backend === 'postgres';

const quick = values.quick ?? false;
const seed = Number(values.seed);
const sizes = (values.size?.flatMap((s) => s.split(',')) ?? (quick ? ['10k'] : ['100k', '1m'])).map(parseSize).sort((a, b) => a - b);
const largest = Math.max(...sizes);
const only = values.only ? new Set(values.only.split(',')) : null;
const outPath = values.out ?? fileURLToPath(new URL('./results.json', import.meta.url));

/** Workload sizes: the at full size; small enough for CI with --quick. */
const plan = {
  queries: 300,
  commandRuns: quick ? 50 : 300,
  backfillSize: quick ? 5_000 : 100_000,
  ingestDays: quick ? 10 : 20,
  sameRowsSize: quick ? 1_000 : 2_000,
  watches: quick ? 2_000 : 100_000,
  watchUsers: quick ? 400 : 20_000,
  newPapers: 500,
  discordMessages: quick ? 250 : 10_000,
  slackChannels: 20,
  slackPerChannel: quick ? 3 : 30,
  // upsertPapers on PostgreSQL runs near 150 papers/s on a 2-core machine: a smaller backfill.
  postgresBackfillSize: quick ? 2_000 : 20_000,
  concurrentCommands: quick ? 50 : 200,
  concurrentWaves: quick ? 2 : 5,
  replicas: 3,
};

const started = new Date();
// Other processes skew every figure: the load average at the start and the end goes in the results.
const loadAtStart = loadavg();
const expected = expectedFigures(sizes, {
  backfillSize: plan.backfillSize,
  ingestDays: plan.ingestDays,
  ...(postgres ? { postgres: { backfillSize: plan.postgresBackfillSize, concurrent: plan.concurrentCommands, replicas: plan.replicas } } : {}),
});
const figures: Figure[] = [];

async function section(id: SectionId, run: () => Promise<Figure[]> | Figure[]): Promise<void> {
  if (only && !only.has(id)) return;
  say(`— ${id} —`);
  try {
    figures.push(...(await run()));
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    say(`${id} failed: ${reason}`);
    if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    const missing = expected.filter((e: ExpectedFigure) => e.section === id && !figures.some((f) => f.id === e.id));
    figures.push(...missing.map(({ section: _section, ...e }) => figure({ ...e, value: null, baseline: null, note: `not measured: ${reason}` })));
  }
}

say(`paperboy bench: sizes ${sizes.map(sizeLabel).join(', ')}, seed ${seed}${quick ? ', quick' : ''}`);
const vocabulary = loadVocabulary(seed);
const queries = generateQueries({ seed, count: plan.queries, vocabulary, endDate: defaultEndDate });
const needCorpus = !only || ['search', 'command', 'watches', 'memory', ...(postgres ? ['postgres'] : [])].some((s) => only.has(s));
const corpora = new Map(needCorpus ? sizes.map((size) => [size, ensureCorpusDb(size, seed, vocabulary)] as const) : []);
const now = Date.parse(`${defaultEndDate}T12:00:00Z`);

try {
  // Each corpus is opened once, with openSqliteStore as the bot opens it, and shared by search and
  // command: openDb's integrity check alone takes tens of seconds at 1M (see the start-up figure).
  const { openSqliteStore } = await import('../src/store/sqlite/sqlite-store.ts');
  const openCorpora = new Map<number, SqliteStore>();
  const searchBaselineP99 = new Map<number, number>();
  // SQLite's search latencies per size: the PostgreSQL section's baselines.
  const sqliteSearch = new Map<number, number[]>();
  const corpusStore = (size: number): SqliteStore => {
    const corpus = corpora.get(size);
    if (!corpus) throw new Error('no corpus');
    let store = openCorpora.get(size);
    if (!store) {
      say(`opening the ${sizeLabel(size)} corpus with openSqliteStore`);
      store = openSqliteStore(corpus.path);
      openCorpora.set(size, store);
    }
    return store;
  };
  try {
    for (const size of sizes) {
      await section('search', async () => {
        const { measureSearch, searchFigures, slowestQueries } = await import('./search.bench.ts');
        const store = corpusStore(size);
        say(`search: ${queries.length} queries at ${sizeLabel(size)}`);
        const samples = await measureSearch(store, queries, now);
        searchBaselineP99.set(size, percentile(samples.map((s) => s.baselineMs), 99));
        sqliteSearch.set(size, samples.map((s) => s.ms));
        say(`search: slowest: ${slowestQueries(samples, 3)}`);
        const { measureKnownItem, knownItemFigures } = await import('./search.bench.ts');
        const exact = await measureKnownItem(store, now, { count: 300, seed, dropWord: false });
        const dropped = await measureKnownItem(store, now, { count: 300, seed, dropWord: true });
        return [...searchFigures(samples, size, size === largest && largest >= 1_000_000), ...knownItemFigures(exact, dropped, size)];
      });
    }
    await section('command', async () => {
      const { runCommandBench } = await import('./command.bench.ts');
      return runCommandBench({ store: corpusStore(largest), size: largest, queries, runs: plan.commandRuns, now, searchBaselineP99: searchBaselineP99.get(largest) });
    });
  } finally {
    for (const store of openCorpora.values()) await store.close();
  }
  await section('ingest', async () => {
    const { runIngestBench } = await import('./ingest.bench.ts');
    return runIngestBench({ backfillSize: plan.backfillSize, seed, vocabulary, days: plan.ingestDays, sameRowsSize: plan.sameRowsSize });
  });
  await section('watches', async () => {
    const corpus = corpora.get(Math.min(largest, 100_000)) ?? corpora.get(largest);
    if (!corpus) throw new Error('no corpus');
    const { runWatchBench } = await import('./watch-match.bench.ts');
    return runWatchBench({ corpusPath: corpus.path, corpusSize: corpus.info.size, seed, vocabulary, watches: plan.watches, users: plan.watchUsers, newPapers: plan.newPapers });
  });
  await section('delivery', async () => {
    const { runDeliveryBench } = await import('./delivery.bench.ts');
    return runDeliveryBench({ seed, vocabulary, discordMessages: plan.discordMessages, slackChannels: plan.slackChannels, slackPerChannel: plan.slackPerChannel });
  });
  await section('memory', async () => {
    const corpus = corpora.get(largest);
    if (!corpus) throw new Error('no corpus');
    const { runMemoryBench } = await import('./memory.bench.ts');
    return runMemoryBench({ dbPath: corpus.path, size: largest, queries, atLargest: largest >= 1_000_000 });
  });
  if (postgres) {
    await section('postgres', async () => {
      const { runPostgresBench } = await import('./postgres.bench.ts');
      const { defaultBenchUrl } = await import('./postgres-schema.ts');
      return runPostgresBench({
        url: values['pg-url'] ?? process.env.DATABASE_URL ?? defaultBenchUrl,
        corpora: [...corpora.values()].map(({ path, info }) => ({ size: info.size, path, buildRate: info.papersPerSecond })),
        queries,
        now,
        commandRuns: plan.commandRuns,
        concurrent: plan.concurrentCommands,
        waves: plan.concurrentWaves,
        replicas: plan.replicas,
        ingest: { backfillSize: plan.postgresBackfillSize, seed, vocabulary, days: plan.ingestDays },
        sqliteSearch,
        sqliteFigures: figures,
      });
    });
  }
} finally {
  removeScratchDir();
}

const finished = new Date();
const complete = only ? figures : completeFigures(figures, expected);
const results: BenchResults = {
  startedAt: started.toISOString(),
  finishedAt: finished.toISOString(),
  durationSeconds: (finished.getTime() - started.getTime()) / 1000,
  machine: { ...describeMachine(), loadAverage: { start: loadAtStart, end: loadavg() } },
  options: { quick, sizes, seed, backend: postgres ? 'postgres' : 'sqlite' },
  plan,
  // BuildInfo counts feed items (a paper listed on two days counts twice): say so in the results.
  corpora: [...corpora.values()].map(({ path, info, built }) => ({
    size: info.size, seed: info.seed, buildPath: info.path, days: info.days, feedItems: info.papers,
    buildSeconds: info.buildSeconds, feedItemsPerSecond: info.papersPerSecond, file: path, builtThisRun: built,
  })),
  figures: complete,
};
writeResults(outPath, results);
process.stdout.write(`\n${formatTable(complete)}\n\n${formatNotes(complete)}\n\n`);
const missed = complete.filter((f) => f.goal?.met === false).length;
say(`done in ${results.durationSeconds.toFixed(0)} s: ${complete.length} figures, ${missed} goals missed; wrote ${outPath}`);
say(`machine: ${results.machine.cpu}, ${results.machine.cores} cores; load average ${loadAtStart.map((n) => n.toFixed(1)).join(' ')} at the start, ${loadavg().map((n) => n.toFixed(1)).join(' ')} at the end`);
