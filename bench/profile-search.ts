import { parseQuery } from '../src/search/parse-query.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { corpusPath } from './corpus-db.ts';
import { defaultEndDate } from './generate-corpus.ts';
import { generateQueries } from './queries.ts';
import { loadVocabulary } from './vocabulary.ts';

// Where a search's time goes: the bench's 300 mixed queries (and any given as arguments) through
// store.searchPapers, each the fastest of 3 runs, with the time of every statement it ran (above
// 0.3 ms). `npx tsx bench/profile-search.ts [size] [top] [query…]` reads the cached corpus (built
// by measure-search.ts or the bench) and prints p50/p95/p99, the `top` slowest and the given ones.

// CPU time, not wall time: the machine is shared and a preempted query would look slow.
const nowMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const size = Number(process.argv[2] ?? 100_000);
const top = Number(process.argv[3] ?? 10);
const extra = process.argv.slice(4);
const seed = 42;
const vocabulary = loadVocabulary(seed);
const store = openSqliteStore(corpusPath(size, seed));
const sqlite = store.db.$client;
const now = Date.parse(`${defaultEndDate}T12:00:00Z`);
type Step = { sql: string; ms: number; rows: number; match: string };
let log = null as Step[] | null;
const prepare = sqlite.prepare.bind(sqlite);
(sqlite as { prepare: unknown }).prepare = (sql: string) => {
  const statement = prepare(sql);
  for (const method of ['all', 'get', 'run'] as const) {
    const original = statement[method].bind(statement);
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const start = nowMs();
      const result = original(...(args as []));
      const bound = args[0] as { match?: string } | undefined;
      log?.push({ sql, match: typeof bound === 'object' && bound !== null && typeof bound.match === 'string' ? bound.match : '', ms: nowMs() - start, rows: Array.isArray(result) ? result.length : result === undefined ? 0 : 1 });
      return result;
    };
  }
  return statement;
};
const queries = [...generateQueries({ seed, count: 300, vocabulary, endDate: defaultEndDate }).map((q) => q.text), ...extra];
const run = (text: string) => store.searchPapers(parseQuery(text), { limit: 10, offset: 0, now });
for (const q of queries) await run(q);
const timed = [];
for (const text of queries) {
  let best = { ms: Infinity, steps: [] as Step[] };
  for (let i = 0; i < 3; i += 1) {
    log = [];
    const start = nowMs();
    await run(text);
    const ms = nowMs() - start;
    if (ms < best.ms) best = { ms, steps: log ?? [] };
    log = null;
  }
  timed.push({ text, ...best });
}
const sorted = [...timed].sort((a, b) => b.ms - a.ms);
const pct = (p: number) => sorted.map((t) => t.ms).sort((a, b) => a - b)[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]?.toFixed(1);
console.log(`size ${size}: p50 ${pct(50)} p95 ${pct(95)} p99 ${pct(99)} ms`);
for (const t of [...sorted.slice(0, top), ...timed.filter((t) => extra.includes(t.text))]) {
  console.log(`${t.ms.toFixed(1)} ms  ${t.text}`);
  for (const s of t.steps) if (s.ms > 0.3) console.log(`   ${s.ms.toFixed(1).padStart(6)} ms ${String(s.rows).padStart(5)} rows  ${s.sql.replace(/\s+/g, ' ').slice(0, 110)}  ${s.match.slice(0, 120)}`);
}
await store.close();
