import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.ts';
import { queryKey } from '../../src/search/query-key.ts';
import { queryRows } from '../../src/store/postgres/pg-db.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { matchWatches } from '../../src/watches/match-watches.ts';
import { getWatchIndex } from '../../src/watches/watch-index.ts';
import { storedFormVersion } from '../../src/watches/watch-form.ts';
import { seedNamedPapers } from '../search/seed-papers.ts';
import { createPostgresTestDb } from '../support/postgres-test-db.ts';

// The watch index of a restarted bot is built from the texts' stored forms (watch_forms): a new
// Store object on the same database has an empty index cache, as a new process has.

type FormRow = { query: string; version: number; form: string };
/** One database, opened as many times as a test restarts the bot. */
type Database = { restart(): Store; run(statement: string): Promise<void>; forms(): Promise<FormRow[]>; close(): Promise<void> };

const byQuery = (rows: FormRow[]) => rows.map((row) => ({ ...row, version: Number(row.version) })).sort((a, b) => (a.query < b.query ? -1 : 1));

const databases: Array<{ name: string; open(): Promise<Database> }> = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-forms-'));
      const path = join(dir, 'paperboy.db');
      const stores = [openSqliteStore(path)];
      const first = stores[0];
      if (!first) throw new Error('no store');
      return {
        restart() {
          const store = openSqliteStore(path);
          stores.push(store);
          return store;
        },
        async run(statement) {
          first.db.$client.exec(statement);
        },
        async forms() {
          return byQuery(first.db.$client.prepare<[], FormRow>('SELECT query, version, form FROM watch_forms').all());
        },
        async close() {
          for (const store of stores) await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const handle = await createPostgresTestDb();
      return {
        restart: () => createPostgresStore(handle.db),
        async run(statement) {
          await handle.db.execute(sql.raw(statement));
        },
        async forms() {
          return byQuery(await queryRows<FormRow>(handle.db, sql`SELECT query, version, form FROM watch_forms`));
        },
        close: () => handle.close(),
      };
    },
  },
];

const WATCHES: Array<[user: string, text: string]> = [
  ['A', 'diffusion'],
  ['B', 'Diffusion'],
  ['B', '"state space" OR mamba'],
  ['C', 'author:"jane doe" -survey'],
  ['C', 'org:csail robots min:3'],
  ['D', 'agents since:2026-08-01 cat:cs.RO'],
  ['D', 'source:hf'],
  ['E', '🤖'],
];

const PAPERS = {
  robots: { title: 'Diffusion policies for robots', organization: 'MIT CSAIL', upvotes: 5 },
  mamba: { title: 'Mamba: selective state-space models', upvotes: 2 },
  survey: { title: 'A survey of diffusion', authors: ['Jane Doe'] },
  jane: { title: 'Graph learning', authors: ['Jane Doe', 'John Roe'] },
  transformers: { title: 'Transformers everywhere' },
};

let next = 0;
async function addWatch(store: Store, user: string, text: string): Promise<void> {
  next += 1;
  const added = await store.insertWatch({ platform: 'discord', id: user }, { query: text, queryKey: queryKey(parseQuery(text)) }, 25, next);
  if (!added.ok) throw new Error(`watch ${text}: ${added.reason}`);
}

/** Every user's matched papers, by paper name. */
async function matches(store: Store, ids: Record<string, number>): Promise<Record<string, string[]>> {
  const nameOf = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  const result = await matchWatches(store, Object.values(ids));
  return Object.fromEntries(result.map((user) => [user.userId, user.paperIds.map((id) => nameOf.get(id) ?? String(id)).sort()]));
}

describe.each(databases)('watch forms on $name', (backend) => {
  let database: Database;
  let store: Store;
  let ids: Record<string, number>;

  beforeEach(async () => {
    database = await backend.open();
    store = database.restart();
    for (const [user, text] of WATCHES) await addWatch(store, user, text);
    const papers = await seedNamedPapers(store, PAPERS);
    ids = Object.fromEntries(Object.keys(PAPERS).map((name) => [name, papers.id(name as keyof typeof PAPERS)]));
  }, 120_000);
  afterEach(() => database.close());

  it('stores each text’s form when the index is built, and a restart uses them instead of stemming', async () => {
    const before = await matches(store, ids);
    expect(before).toEqual({ A: ['robots', 'survey'], B: ['mamba', 'robots', 'survey'], C: ['jane', 'robots'], D: ['jane', 'mamba', 'robots', 'survey', 'transformers'] });
    const version = storedFormVersion(store);
    const forms = await database.forms();
    expect(forms.map((row) => row.query)).toEqual(WATCHES.map(([, text]) => text).sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(forms.map((row) => row.version))).toEqual(new Set([version]));
    expect(forms.find((row) => row.query === 'org:csail robots min:3')?.form).toBe('{"g":[["robot"]],"o":["csail"],"m":3}');
    expect(forms.find((row) => row.query === '🤖')?.form).toBe('null');

    const restarted = database.restart();
    const tokenize = vi.spyOn(restarted, 'tokenize');
    await getWatchIndex(restarted);
    expect(tokenize).not.toHaveBeenCalled();
    expect(await matches(restarted, ids)).toEqual(before);
  });

  it('matches with a stored form as it stands (a tampered one included)', async () => {
    await getWatchIndex(store);
    await database.run(`UPDATE watch_forms SET form = '{"g":[["transform"]]}' WHERE query = 'diffusion'`);
    const restarted = database.restart();
    const found = await matches(restarted, ids);
    expect(found.A).toEqual(['transformers']);
    // `Diffusion` has a form of its own: B still gets the diffusion papers.
    expect(found.B).toEqual(['mamba', 'robots', 'survey']);
  });

  it('compiles again a text whose form is of another version or not a form, and rewrites it', async () => {
    const before = await matches(store, ids);
    const stored = await database.forms();
    const version = storedFormVersion(store);
    await database.run(`UPDATE watch_forms SET version = ${version + 2}, form = '{"g":[["transform"]]}' WHERE query = 'diffusion'`);
    await database.run(`UPDATE watch_forms SET form = '{"g":"robot"}' WHERE query = 'org:csail robots min:3'`);
    await database.run(`UPDATE watch_forms SET form = 'not json' WHERE query = 'source:hf'`);
    const restarted = database.restart();
    const tokenize = vi.spyOn(restarted, 'tokenize');
    expect(await matches(restarted, ids)).toEqual(before);
    const stemmed = tokenize.mock.calls.flatMap(([rows]) => rows.map((row) => row.title));
    // Only those texts' words were stemmed (`source:hf` has none), then the papers of the batch.
    expect(stemmed.filter((title) => title !== undefined && !Object.values(PAPERS).some((paper) => paper.title === title)).sort()).toEqual(['diffusion', 'robots']);
    expect(await database.forms()).toEqual(stored);
  });

  it('deletes the forms of texts no watch has when a restarted bot builds its index', async () => {
    await getWatchIndex(store);
    const author = (await store.listWatches({ platform: 'discord', id: 'C' })).find((row) => row.query.startsWith('author:'));
    await store.deleteWatch({ platform: 'discord', id: 'C' }, author?.id ?? 0, 100);
    await store.deleteWatch({ platform: 'discord', id: 'A' }, (await store.listWatches({ platform: 'discord', id: 'A' }))[0]?.id ?? 0, 101);
    // The running bot rebuilds from its cache and leaves the table alone.
    await getWatchIndex(store);
    expect((await database.forms()).length).toBe(WATCHES.length);

    await getWatchIndex(database.restart());
    expect((await database.forms()).map((row) => row.query)).not.toContain('author:"jane doe" -survey');
    expect((await database.forms()).map((row) => row.query)).not.toContain('diffusion');
    expect((await database.forms()).length).toBe(WATCHES.length - 2);
  });

  it('stores the form of a watch added while the bot runs', async () => {
    await getWatchIndex(store);
    await addWatch(store, 'F', 'Rigorous proofs');
    await getWatchIndex(store);
    expect((await database.forms()).find((row) => row.query === 'Rigorous proofs')?.form).toBe('{"g":[["rigor"],["proof"]]}');
  });
});
