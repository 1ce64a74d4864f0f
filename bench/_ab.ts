import { parseQuery } from '../src/search/parse-query.ts';
import { openPostgres } from '../src/store/postgres/open-postgres.ts';
import { searchPapers as newSearch } from '../src/store/postgres/search.ts';
import { searchPapers as oldSearch } from '../src/store/postgres/_old_search.ts';
import { generateQueries } from './queries.ts';
import { loadVocabulary } from './vocabulary.ts';
import { defaultEndDate } from './generate-corpus.ts';
import { nowMs, percentile } from './stats.ts';
const db = await openPostgres('postgres://postgres@127.0.0.1:5432/test', { searchPath: process.argv[2], max: 2 });
const queries = generateQueries({ seed: 42, count: 300, vocabulary: loadVocabulary(42), endDate: defaultEndDate });
const now = new Date(`${defaultEndDate}T12:00:00Z`);
const o: number[] = [], n: number[] = [];
let differ = 0;
for (const q of queries) {
  const query = parseQuery(q.text);
  const run = async (f: typeof newSearch, into: number[]) => { const t = nowMs(); const r = await f(db, query, { limit: 10, offset: 0, now }); into.push(nowMs() - t); return r; };
  // Warm both, then time in alternating order: neither side warms the cache for the other.
  await oldSearch(db, query, { limit: 10, offset: 0, now }); await newSearch(db, query, { limit: 10, offset: 0, now });
  const first = o.length % 2 === 0;
  const a = first ? await run(oldSearch, o) : undefined;
  const b = await run(newSearch, n);
  const a2 = a ?? (await run(oldSearch, o));
  const ids = (r: typeof b) => r.results.map((x) => x.paper.id).join(',');
  if (ids(a2) !== ids(b) || a2.total !== b.total || a2.capped !== b.capped) { differ++; console.error(`differs: ${q.text}: old ${a2.total}/${a2.capped} [${ids(a2)}] new ${b.total}/${b.capped} [${ids(b)}]`); }
}
const f = (x: number[]) => `p50 ${percentile(x, 50).toFixed(1)} p95 ${percentile(x, 95).toFixed(1)} p99 ${percentile(x, 99).toFixed(1)}`;
console.log(`old: ${f(o)}\nnew: ${f(n)}\n${differ} of ${queries.length} differ`);
await db.$client.end();
