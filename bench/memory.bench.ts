import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { BenchQuery } from './queries.ts';
import { figure, type Figure } from './report.ts';
import { say } from './progress.ts';
import { sizeLabel } from './stats.ts';
import { scratchPath } from './temp-db.ts';
import Database from 'better-sqlite3';

// Memory, size and start-up with a corpus database: a child process per mode (see memory-child.mjs),
// so each peak RSS and each start-up is measured in a fresh process.

const group = 'Memory & size';
const childPath = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const projectDir = fileURLToPath(new URL('..', import.meta.url));

const ChildResult = z.object({
  mode: z.enum(['bot', 'baseline']),
  readyMs: z.number(),
  openMs: z.number(),
  firstQueryMs: z.number(),
  served: z.number(),
  processReadyMs: z.number(),
  rssBeforeDbBytes: z.number(),
  peakRssBytes: z.number(),
  heapUsedBytes: z.number(),
});
type ChildResult = z.infer<typeof ChildResult>;

/** The node options `npm start` gives the bot (`node --max-semi-space-size=8 bin/paperboy.js start`). */
function startNodeOptions(): string[] {
  const Scripts = z.object({ scripts: z.object({ start: z.string() }) });
  const { start } = Scripts.parse(JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'))).scripts;
  const options = /^node((?: --\S+)*) bin\/paperboy\.js start$/.exec(start)?.[1];
  if (options === undefined) throw new Error(`package.json's start script is not \`node [options] bin/paperboy.js start\`: ${start}`);
  return options.split(' ').filter((option) => option !== '');
}

function runChild(mode: 'bot' | 'baseline', dbPath: string, queriesPath: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Plain node on compiled JavaScript, as `npm start` runs the bot (bin/paperboy.js → dist/), with
    // its node options; the baseline is bare node.
    const options = mode === 'bot' ? startNodeOptions() : [];
    const child = spawn(process.execPath, [...options, childPath, mode, dbPath, queriesPath], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line) return reject(new Error(`memory child (${mode}) exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      resolve(ChildResult.parse(JSON.parse(line)));
    });
  });
}

/** Bytes of the text a paper carries (title, abstract, authors JSON, AI fields): the floor for storage. */
function rawTextBytesPerPaper(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row: unknown = db
      .prepare(
        `SELECT (sum(length(CAST(title AS BLOB)) + length(CAST(abstract AS BLOB)) + length(CAST(authors AS BLOB))
          + coalesce(length(CAST(ai_summary AS BLOB)), 0) + coalesce(length(CAST(ai_keywords AS BLOB)), 0))) * 1.0 / count(*) FROM papers`,
      )
      .pluck()
      .get();
    return typeof row === 'number' ? row : Number.NaN;
  } finally {
    db.close();
  }
}

/** `npm run build`: the bot child runs dist/, which must match the sources being measured. */
function buildDist(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build', '--silent'], { cwd: projectDir, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' | ')}`);
}

export async function runMemoryBench(options: { dbPath: string; size: number; queries: BenchQuery[]; atLargest: boolean }): Promise<Figure[]> {
  const { dbPath, size, queries } = options;
  const label = sizeLabel(size);
  const queriesPath = scratchPath('queries').replace(/\.db$/, '.json');
  writeFileSync(queriesPath, JSON.stringify(queries.map((q) => ({ text: q.text, match: q.match }))));
  const bytes = statSync(dbPath).size;
  const rawBytes = rawTextBytesPerPaper(dbPath);
  const sizeFigure = figure({
    id: `memory.db-bytes-per-paper@${label}`, group, name: `database bytes per paper at ${label}`, unit: 'B', better: 'lower',
    value: bytes / size, baseline: rawBytes, baselineLabel: 'raw text bytes per paper (title, abstract, authors, AI fields)',
    note: `database file ${(bytes / 1e9).toFixed(2)} GB for ${size.toLocaleString('en-US')} papers (tables, indexes, FTS5 index)`,
  });
  let baseline: ChildResult;
  let bot: ChildResult;
  try {
    // Baseline first: it also warms the OS page cache for the bot run, as a restart of a running bot would find it.
    say('memory: npm run build (the bot child runs dist/)');
    buildDist();
    baseline = await runChild('baseline', dbPath, queriesPath);
    bot = await runChild('bot', dbPath, queriesPath);
  } catch (err) {
    // The size figure stands on its own; the table marks the other two as not measured.
    say(`memory: ${err instanceof Error ? err.message : String(err)}`);
    return [sizeFigure];
  }
  const mb = (n: number) => n / 1024 / 1024;
  return [
    figure({
      id: `memory.peak-rss@${label}`, group, name: `peak RSS serving ${queries.length} searches with ${label} papers`, unit: 'MB', better: 'lower',
      value: mb(bot.peakRssBytes), baseline: mb(baseline.peakRssBytes), baselineLabel: 'bare node + better-sqlite3 running the raw FTS query',
      ...(options.atLargest ? { goal: { text: '< 160 MB', met: mb(bot.peakRssBytes) < 160 } } : {}),
      note: `bot process = compiled main.js module graph + discord.js (a bot configured for Discord; @slack/bolt is loaded only when Slack is configured), plain node on dist/ with npm start's options (${startNodeOptions().join(' ') || 'none'}), /papers search through dispatchCommand; ${mb(bot.rssBeforeDbBytes).toFixed(0)} MB resident before opening the database (baseline ${mb(baseline.rssBeforeDbBytes).toFixed(0)} MB); JS heap in use at the end ${mb(bot.heapUsedBytes).toFixed(0)} MB`,
    }),
    sizeFigure,
    figure({
      id: `memory.startup@${label}`, group, name: `start-up to ready with ${label} papers (openDb + migrations + first search)`, unit: 'ms', better: 'lower',
      value: bot.readyMs, baseline: baseline.readyMs, baselineLabel: 'bare better-sqlite3 open + first raw FTS query',
      ...(options.atLargest ? { goal: { text: '< 1 s', met: bot.readyMs < 1000 } } : {}),
      note: `openDb ${bot.openMs.toFixed(0)} ms + first search ${bot.firstQueryMs.toFixed(0)} ms; from process exec to ready incl. loading and compiling the code: ${(bot.processReadyMs / 1000).toFixed(1)} s (baseline ${(baseline.processReadyMs / 1000).toFixed(1)} s)`,
    }),
  ];
}
