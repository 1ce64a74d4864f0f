import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeDb, migrationsFolder, openDb } from '../../src/store/sqlite/open-db.ts';
import { titleEnd } from '../../src/store/sqlite/title-end.ts';

// Upgrades from every earlier schema version, with data in it: nothing may be lost and the
// full-text index must cover rows stored before it existed.

const Journal = z.object({
  entries: z.array(z.object({ idx: z.number(), tag: z.string() }).loose()),
}).loose();
const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A migrations folder holding only the first `count` migrations. */
function partialMigrations(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-mig-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  const entries = journal.entries.slice(0, count);
  for (const entry of entries) copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

function seed(sqlite: Database.Database) {
  sqlite
    .prepare(
      "INSERT INTO papers (arxiv_id, title, abstract, authors, upvotes, latest_feed_date, first_seen_at, updated_at) VALUES ('2410.17243', 'Rigorous diffusion bounds', 'We prove.', '[\"Jane Doe\"]', 7, '2024-10-25', 1, 1)",
    )
    .run();
  sqlite.prepare("INSERT INTO paper_days (paper_id, feed_date, seen_at) VALUES (1, '2024-10-25', 1)").run();
  sqlite.prepare("INSERT INTO watches (platform, user_id, query, query_key, created_at) VALUES ('discord', 'u1', 'diffusion', 'diffusion', 1)").run();
  sqlite
    .prepare(
      "INSERT INTO channel_digests (platform, channel_id, time, timezone, top, created_at, updated_at) VALUES ('slack', 'C1', '09:00', 'Europe/Berlin', 5, 1, 1)",
    )
    .run();
  sqlite
    .prepare(
      "INSERT INTO deliveries (platform, target_kind, target_id, kind, idempotency_key, payload, state, next_attempt_at, created_at) VALUES ('slack', 'channel', 'C1', 'digest', 'digest:slack:C1:2024-10-25', '{}', 'pending', 0, 1)",
    )
    .run();
}

describe('SQLite migrations: upgrades from every earlier schema', () => {
  it('has more than one migration to upgrade across', () => {
    expect(journal.entries.length).toBeGreaterThanOrEqual(2);
  });

  for (let applied = 1; applied < journal.entries.length; applied += 1) {
    it(`upgrades a database at version ${journal.entries[applied - 1]?.tag} without losing data`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-up-'));
      dirs.push(dir);
      const path = join(dir, 'old.db');
      const old = new Database(path);
      migrate(drizzle(old), { migrationsFolder: partialMigrations(applied) });
      seed(old);
      old.close();

      const db = openDb(path);
      const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('papers')).toBe(1);
      expect(count('paper_days')).toBe(1);
      expect(count('watches')).toBe(1);
      expect(count('channel_digests')).toBe(1);
      expect(count('deliveries')).toBe(1);
      const hits = db.$client.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'rigor'").all();
      expect(hits).toHaveLength(1);
      // The title index ends the title with its length word (0012), and no title with the old shared one.
      const titleHits = (match: string) => db.$client.prepare('SELECT rowid FROM papers_title_fts WHERE papers_title_fts MATCH ?').all(match);
      expect(titleHits(`"rigor" AND "${titleEnd(3)}"`)).toHaveLength(1);
      expect(titleHits('"paperboytitleend"')).toHaveLength(0);
      // Papers stored before the arXiv source were Hugging Face's, with no categories yet.
      expect(db.$client.prepare('SELECT listed_on_hf, listed_on_arxiv, categories, arxiv_version FROM papers').get()).toEqual({
        listed_on_hf: 1,
        listed_on_arxiv: 0,
        categories: '[]',
        arxiv_version: null,
      });
      closeDb(db);
    });
  }
});
