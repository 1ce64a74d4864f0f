import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { searchPapers } from '../../src/store/postgres/search.ts';
import { RANK_WINDOW } from '../../src/store/store.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// Bounded cost: a broad query ranks only the RANK_WINDOW newest matches and says `capped`.

const now = Date.parse('2026-09-01T00:00:00Z');
const search = (db: PgTestDb, text: string, limit = 10) => searchPapers(db.db, parseQuery(text), { limit, offset: 0, now });

describe('PostgreSQL search window', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
    // 1,500 papers about diffusion; every 100th also about "quokkas" (15, oldest first by id).
    await pg.db.execute(sql`
      INSERT INTO papers (arxiv_id, title, abstract, upvotes, latest_feed_date, first_seen_at, updated_at)
      SELECT '2608.' || lpad(n::text, 5, '0'),
             'Diffusion study ' || n || CASE WHEN n % 100 = 0 THEN ' of quokkas' ELSE '' END,
             'We study diffusion.', n % 7, '2026-08-01', 0, 0
      FROM generate_series(1, 1500) AS n`);
  }, 120_000);
  afterAll(async () => pg?.close());

  it('ranks only the newest window of a broad query, and says so', async () => {
    const result = await search(pg, 'diffusion', RANK_WINDOW);
    expect(result.capped).toBe(true);
    expect(result.total).toBe(RANK_WINDOW);
    const oldestRanked = Math.min(...result.results.map((r) => r.paper.id));
    expect(oldestRanked).toBeGreaterThan(1500 - RANK_WINDOW);
  });

  it('ranks every match of a selective query, however old', async () => {
    const result = await search(pg, 'quokkas', 50);
    expect(result).toMatchObject({ capped: false, total: 15 });
    expect(result.results.map((r) => r.paper.title)).toContain('Diffusion study 100 of quokkas');
  });

  it('filters the window: a filter-only query ranks the newest papers by popularity', async () => {
    const result = await search(pg, 'min:6', 5);
    expect(result.capped).toBe(true);
    expect(result.results.every((r) => r.paper.upvotes === 6)).toBe(true);
    // The window is ids 501–1500; upvotes = n % 7.
    const inWindow = Array.from({ length: RANK_WINDOW }, (_, i) => 1500 - i).filter((n) => n % 7 === 6).length;
    expect(result.total).toBe(inWindow);
  });

  it('excludes inside the window', async () => {
    const result = await search(pg, 'diffusion -quokkas', RANK_WINDOW);
    expect(result.results.some((r) => r.paper.title.includes('quokkas'))).toBe(false);
    expect(result.capped).toBe(true);
  });
});
