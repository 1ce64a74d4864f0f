import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../../src/store/postgres/papers.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { createRandom } from '../../bench/random.ts';
import { aPaper } from '../support/builders.ts';
import { fixturePapers } from '../support/fake-hf.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// The search keys index (migration 0013) finds a phrase's candidates by the keys of its adjacent
// word pairs. It may hand over a paper that does not match (the filter drops it), never leave out
// one that does: every phrase cut from real titles, abstracts and author lists must find every
// paper it matches through the keys, including where a long text's positions all end at 16,383.

const FIXTURE_DAY = '2024-10-25';
const fixture = fixturePapers('daily_papers-2024-10-25.json');

/** Up to `count` runs of 2 to 4 consecutive words of the texts, as a user would type them. */
function phrasesOf(texts: string[], count: number): string[] {
  const random = createRandom('word-pairs');
  const phrases = new Set<string>();
  for (let i = 0; i < count * 4 && phrases.size < count; i++) {
    const words = random.pick(texts).split(/\s+/).filter((w) => w !== '');
    const length = random.int(2, 4);
    if (words.length < length) continue;
    const start = random.int(0, words.length - length);
    phrases.add(words.slice(start, start + length).join(' '));
  }
  return [...phrases];
}

describe('word-pair search keys (PostgreSQL)', () => {
  let pg: PgTestDb;
  beforeAll(async () => {
    pg = await createPostgresTestDb();
    await upsertPapers(pg.db, FIXTURE_DAY, fixture, Date.parse(`${FIXTURE_DAY}T06:00:00Z`));
    // 16,400 abstract words: past position 16,383 every word shares that position.
    const long = Array.from({ length: 16_400 }, (_, i) => `w${i + 1}`).join(' ');
    await upsertPapers(pg.db, '2024-10-26', [aPaper({ title: 'Alpha beta', abstract: long, authors: ['Ada Lovelace'] })], Date.parse('2024-10-26T06:00:00Z'));
  }, 120_000);
  afterAll(async () => pg?.close());

  /** Per phrase: the papers it matches, those of them the keys leave out, and those the keys add. */
  const check = async (phrases: string[]) =>
    queryRows<{ phrase: string; matches: number; missed: number; extra: number }>(
      pg.db,
      sql`WITH k AS MATERIALIZED (SELECT search_vector AS v, paperboy_search_keys(search_vector) AS keys FROM papers),
               q AS (SELECT t AS phrase, phraseto_tsquery('paperboy_english', paperboy_fts_text(t)) AS m, paperboy_term_keys(t) AS kq FROM json_array_elements_text(${JSON.stringify(phrases)}::json) AS t)
          SELECT phrase, count(*) FILTER (WHERE v @@ m)::int AS matches, count(*) FILTER (WHERE v @@ m AND NOT keys @@ kq)::int AS missed,
                 count(*) FILTER (WHERE keys @@ kq AND NOT v @@ m)::int AS extra
          FROM q CROSS JOIN k GROUP BY phrase ORDER BY phrase`,
    );

  it('finds every paper a phrase of titles, abstracts and authors matches', async () => {
    const texts = fixture.flatMap((p) => [p.title, p.abstract, p.authors.join(' ')]);
    const phrases = phrasesOf(texts, 300);
    expect(phrases.length).toBe(300);
    const rows = await check(phrases);
    expect(rows).toHaveLength(300);
    for (const { phrase, matches, missed } of rows) expect({ phrase, matches: matches > 0, missed }).toEqual({ phrase, matches: true, missed: 0 });
    // The keys narrow to the phrase: few papers hold every word and pair of one without matching it.
    expect(rows.reduce((sum, row) => sum + row.extra, 0)).toBeLessThan(phrases.length / 10);
  });

  it('finds phrases at the positions past 16,383 that a long text shares', async () => {
    // w16379 is at 16,382; w16380 and every later word at 16,383, so both phrases match.
    const phrases = ['w16000 w16001', 'w16379 w16380', 'w16379 w16381'];
    expect(await check(phrases)).toEqual(phrases.map((phrase) => ({ phrase, matches: 1, missed: 0, extra: 0 })));
  });

  it('makes no pair across fields, as no phrase spans them', async () => {
    expect(await check(['beta w1'])).toEqual([{ phrase: 'beta w1', matches: 0, missed: 0, extra: 0 }]);
  });
});
