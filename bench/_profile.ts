import { parseQuery } from '../src/search/parse-query.ts';
import { openPostgres } from '../src/store/postgres/open-postgres.ts';
import { createPostgresStore } from '../src/store/postgres/postgres-store.ts';
import { nowMs } from './stats.ts';
const db = await openPostgres('postgres://postgres@127.0.0.1:5432/test', { searchPath: process.argv[2], max: 2 });
const store = createPostgresStore(db, () => db.$client.end());
const pool = db.$client;
const original = pool.query.bind(pool);
let log: string[] = [];
(pool as any).query = async (...args: any[]) => { const t = nowMs(); const r = await (original as any)(...args); const text = typeof args[0] === 'string' ? args[0] : args[0]?.text; log.push(`${(nowMs() - t).toFixed(1).padStart(7)} ms  ${String(text).replace(/\s+/g, ' ').slice(0, 220)}`); return r; };
for (const q of process.argv.slice(3)) {
  for (let i = 0; i < 2; i++) { log = []; const t = nowMs(); await store.searchPapers(parseQuery(q), { limit: 10, offset: 0, now: new Date('2026-08-31T12:00:00Z') }); console.log(`${q}: ${(nowMs() - t).toFixed(1)} ms`); }
  console.log(log.join('\n'));
}
await store.close();
