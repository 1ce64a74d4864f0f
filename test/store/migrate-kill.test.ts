import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeDb, migrationsFolder, openDb } from '../../src/store/sqlite/open-db.ts';

const child = fileURLToPath(new URL('../support/migrate-child.ts', import.meta.url));
const Journal = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() }).loose()) }).loose();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The real migrations plus a last one that runs long enough to be killed in the middle. */
function migrationsWithSlowTail(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-slowmig-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));
  for (const entry of journal.entries) copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  const last = journal.entries.at(-1);
  const slow = { idx: journal.entries.length, version: '6', when: (last?.when ?? 0) + 1, tag: '9999_slow', breakpoints: true };
  writeFileSync(
    join(dir, '9999_slow.sql'),
    'CREATE TABLE slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200000000) SELECT x FROM c;',
  );
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: [...journal.entries, slow] }));
  return dir;
}

describe('SQLite only: a start-up killed during migration', () => {
  it('leaves nothing half-applied, and the next start completes the migrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-kill-'));
    dirs.push(dir);
    const path = join(dir, 'paperboy.db');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, migrationsWithSlowTail()], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('migrating')) setTimeout(resolve, 400);
      });
    });
    proc.kill('SIGKILL');
    await new Promise((resolve) => proc.on('exit', resolve));
    expect(out).not.toContain('done');

    const db = openDb(path);
    const tables = db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(tables).toContain('papers');
    expect(tables).toContain('papers_fts');
    expect(tables).not.toContain('slow');
    const applied = db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    const journal = Journal.parse(JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')));
    expect(applied).toEqual({ n: journal.entries.length });
    closeDb(db);
  });
});
