import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, openDb, type Db } from '../../src/store/sqlite/open-db.ts';

/** A migrated in-memory database. */
export function createTestDb(): Db {
  return openDb(':memory:');
}

/** A migrated database in a fresh temp directory (WAL, locking, child processes). */
export function createTempDbFile(): { path: string; dir: string; db: Db; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  const path = join(dir, 'paperboy.db');
  const db = openDb(path);
  return {
    path,
    dir,
    db,
    cleanup() {
      closeDb(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
