import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { dataDir } from './corpus-db.ts';

// Scratch databases on disk (WAL, like the bot's), under bench/.data/tmp-<pid>, removed when done.

const scratchDir = join(dataDir, `tmp-${process.pid}`);
let counter = 0;

export function scratchPath(label: string): string {
  mkdirSync(scratchDir, { recursive: true });
  counter += 1;
  return join(scratchDir, `${label}-${counter}.db`);
}

/** A scratch store; `db` is its drizzle handle, for bulk writes the bench compares against. */
export function openScratchStore(label: string): { store: SqliteStore; db: SqliteStore['db']; path: string; dispose(): Promise<void> } {
  const path = scratchPath(label);
  const store = openSqliteStore(path);
  return {
    store,
    db: store.db,
    path,
    async dispose() {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

export function removeScratchDir(): void {
  rmSync(scratchDir, { recursive: true, force: true });
}
