import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeDb, openDb, type Db } from '../src/store/sqlite/open-db.ts';
import { dataDir } from './corpus-db.ts';

// Scratch databases on disk (WAL, like the bot's), under bench/.data/tmp-<pid>, removed when done.

const scratchDir = join(dataDir, `tmp-${process.pid}`);
let counter = 0;

export function scratchPath(label: string): string {
  mkdirSync(scratchDir, { recursive: true });
  counter += 1;
  return join(scratchDir, `${label}-${counter}.db`);
}

export function openScratchDb(label: string): { db: Db; path: string; dispose(): void } {
  const path = scratchPath(label);
  const db = openDb(path);
  return {
    db,
    path,
    dispose() {
      closeDb(db);
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

export function removeScratchDir(): void {
  rmSync(scratchDir, { recursive: true, force: true });
}
