import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { closeDb, migrationsFolder, openDb } from '../src/store/sqlite/open-db.ts';
import { generateCorpus } from './generate-corpus.ts';
import { createPlainInserter } from './plain-insert.ts';
import { say } from './progress.ts';
import { nowMs, sizeLabel } from './stats.ts';
import type { Vocabulary } from './vocabulary.ts';

// Corpus databases are slow to build (1M papers) and identical for a (size, seed, generator,
// schema), so they are cached under bench/.data/, keyed by all four. They are built by the bulk
// path: the rows upsertPapers writes, with raw prepared statements and the FTS triggers ON, one feed
// day per transaction as a backfill commits them, so the FTS index has the segment history of a real
// ingest. It skips only the ORM overhead (~2× faster at the time of writing); the ingest bench
// checks that both paths leave byte-identical tables and FTS data, and measures both.

export const dataDir = fileURLToPath(new URL('./.data', import.meta.url));

const BuildInfoSchema = z.object({
  size: z.number(),
  seed: z.number(),
  path: z.literal('plain-insert-with-fts-triggers'),
  days: z.number(),
  papers: z.number(),
  buildSeconds: z.number(),
  papersPerSecond: z.number(),
});
export type BuildInfo = z.infer<typeof BuildInfoSchema>;

/** Hash of everything that decides the rows: generator sources, migrations and the title index's end word. */
function corpusKey(): string {
  const hash = createHash('sha256');
  const benchDir = fileURLToPath(new URL('.', import.meta.url));
  for (const file of ['generate-corpus.ts', 'vocabulary.ts', 'random.ts']) hash.update(readFileSync(join(benchDir, file)));
  hash.update(readFileSync(fileURLToPath(new URL('../src/store/sqlite/title-end.ts', import.meta.url))));
  for (const file of readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort()) hash.update(readFileSync(join(migrationsFolder, file)));
  return hash.digest('hex').slice(0, 10);
}

export function corpusPath(size: number, seed: number): string {
  return join(dataDir, `corpus-${sizeLabel(size)}-seed${seed}-${corpusKey()}.db`);
}

/** The cached corpus database for (size, seed), building it first when missing. */
export function ensureCorpusDb(size: number, seed: number, vocabulary: Vocabulary): { path: string; info: BuildInfo; built: boolean } {
  const path = corpusPath(size, seed);
  const infoPath = `${path}.json`;
  if (existsSync(path) && existsSync(infoPath)) {
    const info = BuildInfoSchema.safeParse(JSON.parse(readFileSync(infoPath, 'utf8')));
    if (info.success) return { path, info: info.data, built: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const lock = `${path}.lock`;
  if (!takeBuildLock(lock, () => existsSync(path) && existsSync(infoPath))) return ensureCorpusDb(size, seed, vocabulary);
  try {
    return buildCorpusDb(size, seed, vocabulary, path);
  } finally {
    rmSync(lock, { force: true });
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One builder per corpus: two bench processes building the same file at once would each delete
 * the other's half-built file. True when this process holds the lock; false when another process
 * built the corpus while this one waited. A lock left by a dead process is taken over.
 */
function takeBuildLock(lock: string, built: () => boolean): boolean {
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(lock, 'utf8'));
    if (!Number.isInteger(holder) || !isAlive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    say(`waiting for process ${holder}, which is building this corpus`);
    while (existsSync(lock) && isAlive(holder)) sleepSync(5_000);
    if (built()) return false;
  }
}

function buildCorpusDb(size: number, seed: number, vocabulary: Vocabulary, path: string): { path: string; info: BuildInfo; built: boolean } {
  const infoPath = `${path}.json`;
  // An older generator's or schema's corpus of this size and seed is stale: free its gigabytes.
  const stalePrefix = `corpus-${sizeLabel(size)}-seed${seed}-`;
  for (const file of readdirSync(dataDir)) if (file.startsWith(stalePrefix) && !file.endsWith('.lock')) rmSync(join(dataDir, file), { force: true });
  const building = `${path}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
  say(`building the ${sizeLabel(size)} corpus (seed ${seed}) (plain INSERTs, FTS triggers on) into ${building}`);
  const db = openDb(building);
  const insert = createPlainInserter(db);
  const start = nowMs();
  let papers = 0;
  let days = 0;
  let nextReport = size / 10;
  for (const day of generateCorpus({ seed, size, vocabulary })) {
    // "now" = that morning: first_seen_at/updated_at look like a history, deterministically.
    insert(day.feedDate, day.papers, Date.parse(`${day.feedDate}T06:00:00Z`));
    papers += day.papers.length;
    days += 1;
    if (papers >= nextReport) {
      say(`  ${papers.toLocaleString('en-US')} feed items, ${days} days, ${Math.round(papers / ((nowMs() - start) / 1000))} items/s`);
      nextReport += size / 10;
    }
  }
  const buildSeconds = (nowMs() - start) / 1000;
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  closeDb(db);
  renameSync(building, path);
  const info: BuildInfo = { size, seed, path: 'plain-insert-with-fts-triggers', days, papers, buildSeconds, papersPerSecond: papers / buildSeconds };
  writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
  say(`built ${path} (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${buildSeconds.toFixed(0)} s`);
  return { path, info, built: true };
}
