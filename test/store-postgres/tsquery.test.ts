import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { countMatches, paperIdsMatching } from '../../src/store/postgres/match-papers.ts';
import { upsertPapers } from '../../src/store/postgres/papers.ts';
import { searchPapers } from '../../src/store/postgres/search.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { fixturePapers } from '../support/fake-hf.ts';
import { createPostgresTestDb, type PgTestDb } from '../support/postgres-test-db.ts';

// The query AST → tsquery compiler (src/store/postgres/tsquery.ts): the same papers as SQLite's
// FTS5 compiler for the same query, and no input that makes PostgreSQL fail.

const FIXTURE_DAY = '2024-10-25';
const fixture = fixturePapers('daily_papers-2024-10-25.json');

const made = {
  rigorous: { feedDate: '2026-08-01', paper: aPaper({ title: 'Rigorous analysis of diffusion models', authors: ['Jane Doe', 'John Smith'], organization: 'Allen AI', upvotes: 50 }) },
  titleName: { feedDate: '2026-08-20', paper: aPaper({ title: 'The Jane Doe effect in state-space models', authors: ['Mary Major'], organization: 'DeepMind', upvotes: 3 }) },
  survey: {
    feedDate: '2026-08-25',
    paper: aPaper({ title: 'A survey of LLMs', abstract: 'A literature review of large language models.', authors: ['Doe Jane'], upvotes: 10 }),
  },
  syntax: {
    feedDate: '2026-08-10',
    paper: aPaper({ title: "Weird & (odd) <syntax>: a|b !c d* 'quoted' \\back", abstract: 'Nothing else.', authors: ['Zoe Unal'], organization: 'MIT-IBM Lab', upvotes: 0 }),
  },
};
type Name = keyof typeof made;

describe('tsquery compiler', () => {
  let pg: PgTestDb;
  let sqlite: SqliteStore;
  let allIds: number[] = [];
  const madeIds = new Map<Name, number>();

  beforeAll(async () => {
    pg = await createPostgresTestDb();
    sqlite = openSqliteStore(':memory:');
    const at = Date.parse(`${FIXTURE_DAY}T06:00:00Z`);
    const fromSqlite = await sqlite.upsertPapers(FIXTURE_DAY, fixture, at);
    const fromPg = await upsertPapers(pg.db, FIXTURE_DAY, fixture, at);
    expect(fromPg.inserted).toEqual(fromSqlite.inserted);
    allIds = [...fromPg.inserted];
    for (const [name, { feedDate, paper }] of Object.entries(made)) {
      const day = Date.parse(`${feedDate}T06:00:00Z`);
      const [a, b] = [await sqlite.upsertPapers(feedDate, [paper], day), await upsertPapers(pg.db, feedDate, [paper], day)];
      expect(b.inserted).toEqual(a.inserted);
      const id = b.inserted[0] ?? -1;
      madeIds.set(name as Name, id);
      allIds.push(id);
    }
  }, 120_000);
  afterAll(async () => {
    await sqlite?.close();
    await pg?.close();
  });

  /** The papers above matching `text`, on PostgreSQL and on SQLite. */
  const matchingMade = async (text: string): Promise<{ postgres: Name[]; sqlite: Name[] }> => {
    const ids = [...madeIds.values()];
    const [onPg, onSqlite] = await Promise.all([paperIdsMatching(pg.db, parseQuery(text), ids), sqlite.paperIdsMatching(parseQuery(text), ids)]);
    const names = (found: Set<number>) => [...madeIds].filter(([, id]) => found.has(id)).map(([name]) => name);
    return { postgres: names(onPg), sqlite: names(onSqlite) };
  };

  it.each<[string, Name[]]>([
    ['rigor', ['rigorous']],
    ['llm', ['survey']],
    ['LLMs', ['survey']],
    ['"state space"', ['titleName']],
    ['state-space', ['titleName']],
    ['"space state"', []],
    // A phrase never spans two columns (title "…diffusion models", abstract "We study…").
    ['"models we"', []],
    ['"of LLMs"', ['survey']],
    ['diffusion OR survey', ['rigorous', 'survey']],
    ['models -survey', ['rigorous', 'titleName']],
    ['-survey -weird', ['rigorous', 'titleName']],
    ['author:"Jane Doe"', ['rigorous']],
    ['author:doe', ['rigorous', 'survey']],
    ['org:allen', ['rigorous']],
    ['org:"ALLEN ai"', ['rigorous']],
    ['org:mit-ibm', ['syntax']],
    ['since:2026-08-20', ['titleName', 'survey']],
    ['min:10', ['rigorous', 'survey']],
    ['min:10 -llm', ['rigorous']],
    ['a|b', ['syntax']],
    ['d*', ['syntax']],
    ['syntax', ['syntax']],
    ['"odd syntax"', ['syntax']],
    ['back', ['syntax']],
  ])('%s matches %j, as on SQLite', async (text, expected) => {
    expect(await matchingMade(text)).toEqual({ postgres: expected, sqlite: expected });
  });

  it('counts watch-preview matches from a feed day on', async () => {
    expect(await countMatches(pg.db, parseQuery('models'), '2026-08-15')).toBe(2);
    expect(await countMatches(pg.db, parseQuery('models since:2026-08-21'), '2026-08-15')).toBe(1);
    expect(await countMatches(pg.db, parseQuery(''), '2000-01-01')).toBe(0);
  });

  // Words, phrases and names of the real feed and of the papers above, with the query syntax.
  const vocabulary = [
    ...new Set([...fixture, ...Object.values(made).map((m) => m.paper)].flatMap((p) => p.title.split(/\s+/)).filter((w) => w.length > 0)),
  ];
  const names = fixture.flatMap((p) => p.authors.slice(0, 2));
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...vocabulary) },
    { weight: 1, arbitrary: fc.constantFrom(...vocabulary).map((w) => `-${w}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(...vocabulary)).map(([a, b]) => `"${a} ${b}"`) },
    { weight: 1, arbitrary: fc.constant('OR') },
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => `author:"${n}"`) },
    { weight: 1, arbitrary: fc.constantFrom('org:ai', 'org:lab', 'since:2024-10-25', 'since:2026-08-15', 'min:5', 'min:20') },
  );

  it('finds exactly the papers SQLite finds, for random queries over real titles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 5 }), async (pieces) => {
        const query = parseQuery(pieces.join(' '));
        const [onSqlite, onPg] = await Promise.all([sqlite.paperIdsMatching(query, allIds), paperIdsMatching(pg.db, query, allIds)]);
        expect([...onPg].sort()).toEqual([...onSqlite].sort());
      }),
      { numRuns: 300 },
    );
  });

  const nasty = fc.constantFrom(...'"\'\\&|!():*<>-_ .,;{}[]^~%$@#`\u00a0\u200b\u0000\ud800éß中文🚀'.split(''), 'OR', 'AND', 'NOT', 'NEAR(', 'author:', 'org:', 'since:', 'min:', 'a', 'b1', 'x y');

  it('compiles any string to SQL that runs: search, matching and counting never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: nasty, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.constant('')), async (text) => {
        const query = parseQuery(text);
        const result = await searchPapers(pg.db, query, { limit: 5, offset: 0, now: Date.parse('2026-09-01T00:00:00Z') });
        expect(result.total).toBeGreaterThanOrEqual(result.results.length);
        await paperIdsMatching(pg.db, query, allIds);
        await countMatches(pg.db, query, '2000-01-01');
      }),
      { numRuns: 300 },
    );
    // 300 searches of several statements each: ~18 s on a 2-core machine under load before the
    // search found its window level by level, a few statements more per search since.
  }, 60_000);
});
