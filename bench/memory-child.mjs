import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { z } from 'zod';

// Child process of memory.bench.ts: opens a corpus database and serves searches, then prints one
// JSON line with its start-up time and peak RSS. Plain JavaScript run by plain node, as `npm start`
// runs the bot: `bot` mode loads the compiled bot from dist/ (main.js's module graph, plus
// discord.js, which a bot loads only when Discord is configured; @slack/bolt likewise for Slack, so
// a Discord bot never has it in memory) and answers /papers search through the dispatcher;
// `baseline` mode is bare better-sqlite3 running the raw FTS5 query. Run in a fresh process each,
// so peak RSS belongs to that mode alone.

const Args = z.tuple([z.enum(['bot', 'baseline']), z.string(), z.string()]);
const [mode, dbPath, queriesPath] = Args.parse(process.argv.slice(2));
const Queries = z.array(z.object({ text: z.string(), match: z.string() }));
const queries = Queries.parse(JSON.parse(readFileSync(queriesPath, 'utf8')));
const dist = new URL('../dist/', import.meta.url);

async function runBot() {
  // Load the bot's code (not started: no tokens, no network) so its modules count in the RSS.
  await import(new URL('src/main.js', dist).href);
  await import(new URL('src/platforms/discord/start-discord.js', dist).href);
  const { openSqliteStore } = await import(new URL('src/store/sqlite/sqlite-store.js', dist).href);
  const { dispatchCommand } = await import(new URL('commands/dispatch.js', dist).href);
  const { loadConfig } = await import(new URL('src/config.js', dist).href);
  const { createLogger } = await import(new URL('src/log.js', dist).href);
  const { systemClock } = await import(new URL('src/clock.js', dist).href);
  const config = loadConfig({ DATABASE_PATH: dbPath, LOG_LEVEL: 'silent', COMMAND_RATE_LIMIT: '10000' });
  // What the code alone costs, before any database work: splits the peak into code and data.
  const rssBeforeDbBytes = process.memoryUsage().rss;
  const start = performance.now();
  const store = openSqliteStore(dbPath);
  const openMs = performance.now() - start;
  const deps = { config, log: createLogger(config), store, clock: systemClock, fetch: globalThis.fetch };
  const ask = (text, i) =>
    dispatchCommand(deps, {
      name: 'search',
      rawOptions: { query: text },
      user: { platform: 'discord', id: `u${i % 500}` },
      channel: { platform: 'discord', id: 'c1', isDm: false },
      isAdmin: false,
    });
  await ask(queries[0]?.text ?? 'model', 0);
  const readyMs = performance.now() - start;
  // performance.now() counts from process start: this includes loading the code.
  const processReadyMs = performance.now();
  for (let i = 0; i < queries.length; i += 1) await ask(queries[i]?.text ?? 'model', i);
  // The dispatcher saved page cursors: leave the cached corpus as it was.
  store.db.$client.exec('DELETE FROM page_cursors');
  await store.close();
  return { readyMs, openMs, firstQueryMs: readyMs - openMs, served: queries.length + 1, processReadyMs, rssBeforeDbBytes };
}

function runBaseline() {
  const rssBeforeDbBytes = process.memoryUsage().rss;
  const start = performance.now();
  const db = new Database(dbPath, { readonly: true });
  const openMs = performance.now() - start;
  const statement = db.prepare(
    'SELECT p.* FROM (SELECT rowid AS id, bm25(papers_fts) AS s FROM papers_fts WHERE papers_fts MATCH ? ORDER BY s LIMIT 10) f JOIN papers p ON p.id = f.id ORDER BY f.s',
  );
  statement.all(queries[0]?.match ?? '"model"');
  const readyMs = performance.now() - start;
  const processReadyMs = performance.now();
  for (const q of queries) statement.all(q.match);
  db.close();
  return { readyMs, openMs, firstQueryMs: readyMs - openMs, served: queries.length + 1, processReadyMs, rssBeforeDbBytes };
}

/**
 * Peak resident set of this process image. Linux: VmHWM of /proc/self/status. Not
 * resourceUsage().maxRSS: the kernel carries the parent's high-water mark across fork + exec
 * into it, so a child of a big parent would report the parent's size.
 */
function peakRssBytes() {
  if (existsSync('/proc/self/status')) {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Number(kib) * 1024;
  }
  return process.resourceUsage().maxRSS * 1024;
}

const result = mode === 'bot' ? await runBot() : runBaseline();
process.stdout.write(
  `${JSON.stringify({
    mode,
    ...result,
    peakRssBytes: peakRssBytes(),
    heapUsedBytes: process.memoryUsage().heapUsed,
  })}\n`,
);
