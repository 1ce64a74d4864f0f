import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';

// Is this SQLite file someone else's? Ours is either empty (nothing migrated yet) or has a
// drizzle migration table whose first row is our first migration. Drizzle would otherwise run
// CREATE TABLE into it and fail half-way, leaving its `__drizzle_migrations` table behind.

const Journal = z.object({ entries: z.array(z.object({ when: z.number() }).loose()).min(1) }).loose();
const MigrationRow = z.object({ created_at: z.coerce.number() });

/** A short description of why the database is foreign, or null when it is ours (or empty). */
export function detectForeignDatabase(sqlite: Database.Database, migrationsFolder: string): string | null {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all()
    .map(String);
  const others = tables.filter((name) => name !== '__drizzle_migrations');
  if (others.length === 0) return null;
  const listed = `tables ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}`;
  if (!tables.includes('__drizzle_migrations')) return `${listed}, and no paperboy migrations`;
  const first = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY id LIMIT 1').get();
  if (first === undefined) return `${listed}, and no paperboy migrations`;
  const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));
  const row = MigrationRow.safeParse(first);
  if (!row.success || row.data.created_at !== journal.entries[0]?.when) return `${listed}, and migrations that are not paperboy's`;
  return null;
}
