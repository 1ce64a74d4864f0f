import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../../src/store/postgres/papers.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { aPaper } from '../support/builders.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// New papers land in the GIN indexes' pending lists, which every search reads whole until they are
// merged. A store write merges them after its commit; gin_clean_pending_list answers how many
// pending pages it found, so a second merge finds none.

const papers = (prefix: string) =>
  Array.from({ length: 40 }, (_, i) => aPaper({ arxivId: `${prefix}.${String(i).padStart(5, '0')}`, title: `Sparse attention study ${prefix} ${i}`, abstract: 'We study sparse attention. '.repeat(20) }));

describe('PostgreSQL GIN pending lists', () => {
  let pg: PgTestDb;
  const pendingPages = async () =>
    (
      await queryRows<{ n: number }>(
        pg.db,
        sql`SELECT gin_clean_pending_list('papers_search_vector_idx'::regclass) + gin_clean_pending_list('papers_title_vector_idx'::regclass)
                   + gin_clean_pending_list('papers_search_keys_idx'::regclass) AS n`,
      )
    )[0]?.n;

  beforeAll(async () => {
    pg = await createPostgresTestDb();
  });
  afterAll(async () => {
    await pg.close();
  });

  it('a write outside the store leaves entries pending (what the merge is for)', async () => {
    await upsertPapers(pg.db, '2026-11-30', papers('2611'), Date.parse('2026-11-30T06:00:00Z'));
    expect(Number(await pendingPages())).toBeGreaterThan(0);
  });

  /** Pending pages of one index, merging them. */
  const pendingIn = async (index: string) =>
    Number((await queryRows<{ n: number }>(pg.db, sql`SELECT gin_clean_pending_list(${index}::regclass) AS n`))[0]?.n);

  it('a write outside the store leaves entries pending in every GIN index, the search keys too', async () => {
    await upsertPapers(pg.db, '2026-11-29', papers('2610'), Date.parse('2026-11-29T06:00:00Z'));
    for (const index of ['papers_search_vector_idx', 'papers_title_vector_idx', 'papers_search_keys_idx']) expect(await pendingIn(index)).toBeGreaterThan(0);
  });

  it("the store's upsertPapers leaves nothing pending", async () => {
    const store = createPostgresStore(pg.db);
    const { inserted } = await store.upsertPapers('2026-12-01', papers('2612'), Date.parse('2026-12-01T06:00:00Z'));
    expect(inserted).toHaveLength(40);
    expect(Number(await pendingPages())).toBe(0);
  });
});
