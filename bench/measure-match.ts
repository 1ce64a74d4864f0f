import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERT_SHOWN_PAPERS } from '../src/alerts/build-alert.ts';
import { compileQuery } from '../src/store/sqlite/fts5-query.ts';
import { parseQuery } from '../src/search/parse-query.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { bumpWatchesVersion } from '../src/store/sqlite/watches.ts';
import { matchWatches } from '../src/watches/match-watches.ts';
import { generateNewDays } from './generate-corpus.ts';
import { generateQueries } from './queries.ts';
import { nowMs } from './stats.ts';
import { loadVocabulary } from './vocabulary.ts';

// A manual measurement of matchWatches.
// `npx tsx bench/measure-match.ts [watches] [papers]` (default 100000 watches of 20,000
// users × 500 new papers), with the bench's seeded query mix and paper generator.

const watchCount = Number(process.argv[2] ?? 100_000);
const paperCount = Number(process.argv[3] ?? 500);
const seed = 42;
const vocabulary = loadVocabulary(seed);
// CPU time too: on a shared machine wall time mostly measures the neighbours.
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'paperboy-match-'));
const store = openSqliteStore(join(dir, 'match.db'));
// Bulk seeding straight into the tables (the store's per-watch unit would take minutes here).
const db = store.db;
try {
  // The bench's watch style: subjects (topical words and phrases), as people save watches.
  const queries = generateQueries({ seed, count: watchCount, vocabulary, endDate: '2026-08-31', style: process.env.STYLE === 'search' ? 'search' : 'watch' });
  const insert = db.$client.prepare('INSERT OR IGNORE INTO watches (platform, user_id, query, query_key, created_at) VALUES (?, ?, ?, ?, ?)');
  db.$client.transaction(() => {
    queries.forEach((q, i) => insert.run('discord', `user${i % 20_000}`, q.text, `${q.text}#${i}`, i));
    bumpWatchesVersion(db, 0);
  })();
  const batches: number[][] = [];
  for (const k of [0, 1, 2]) {
    const days = generateNewDays({ seed: seed + k, days: Math.ceil(paperCount / 100), perDay: 100, firstDate: `2027-0${k + 1}-01`, vocabulary });
    const ids: number[] = [];
    for (const day of days) ids.push(...(await store.upsertPapers(day.feedDate, day.papers, Date.parse(`${day.feedDate}T06:00:00Z`))).inserted);
    batches.push(ids.slice(0, paperCount));
  }
  const run = async (label: string, ids: number[]) => {
    const start = nowMs();
    const cpuStart = cpuMs();
    // As planAlerts asks: matches with their words for what one DM shows, paper ids for the rest.
    const result = await matchWatches(store, ids, { shown: ALERT_SHOWN_PAPERS });
    const ms = nowMs() - start;
    const cpu = cpuMs() - cpuStart;
    const matches = result.reduce((n, u) => n + u.paperIds.length, 0);
    console.log(`${label}: ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU — ${result.length} users, ${matches} (user, paper) matches, ${ids.length} papers, ${watchCount} watches`);
  };
  await run('cold (builds the watch index)', batches[0] ?? []);
  await run('warm (index cached)', batches[1] ?? []);
  insert.run('discord', 'user-new', 'diffusion', 'diffusion#new', watchCount + 1);
  bumpWatchesVersion(db, 0);
  await run('after one new watch (index rebuilt, stems cached)', batches[2] ?? []);
  await run('warm again', batches[0] ?? []);
  // NO_BASELINE=1 skips it (it takes ~20 s at 100k).
  if (!process.env.NO_BASELINE) measureBaseline(queries.map((q) => q.text), batches[0] ?? []);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The bench's baseline: one FTS query per watch over the new papers' rowid range. */
function measureBaseline(texts: string[], ids: number[]): void {
  const low = Math.min(...ids);
  const high = Math.max(...ids);
  const start = nowMs();
  const cpuStart = cpuMs();
  let pairs = 0;
  for (const text of texts) {
    const compiled = compileQuery(parseQuery(text), { newest: high - low + 1 });
    const rows = compiled.match
      ? db.$client
          .prepare(`SELECT p.id FROM papers p WHERE p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid >= ? AND rowid <= ?) AND ${compiled.where}`)
          .all(compiled.match, low, high, compiled.params)
      : db.$client.prepare(`SELECT p.id FROM papers p WHERE p.id >= ? AND p.id <= ? AND ${compiled.where}`).all(low, high, compiled.params);
    pairs += rows.length;
  }
  console.log(`baseline (one FTS query per watch): ${(nowMs() - start).toFixed(0)} ms wall, ${(cpuMs() - cpuStart).toFixed(0)} ms CPU — ${pairs} (watch, paper) pairs`);
}
