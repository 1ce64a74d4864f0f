import { dispatchCommand } from '../commands/dispatch.ts';
import { fixedClock } from '../src/clock.ts';
import type { Deps } from '../src/deps.ts';
import type { Message } from '../src/messages/message.ts';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { benchDeps } from './delivery-harness.ts';
import { say } from './progress.ts';
import type { BenchQuery } from './queries.ts';
import { figure, type Figure } from './report.ts';
import { nowMs, percentile, sizeLabel } from './stats.ts';

// Command latency: /papers search and /papers today as a platform adapter runs them: the
// dispatcher (option coercion, validation, rate limit, handler, paging cursor) and then the
// platform's renderer turning the neutral Message into embeds or blocks. Baselines are the raw SQL
// the handlers cannot avoid: the FTS5 top-10 for search, the day's top papers for today.

const group = 'Command';
type Renderer = (message: Message) => unknown;
type PlatformName = 'discord' | 'slack';

async function loadRenderer(platform: PlatformName): Promise<Renderer> {
  if (platform === 'slack') {
    const { renderBlocks } = await import('../src/platforms/slack/render-blocks.ts');
    // A command reply is one message (response_url / ephemeral): the 'single' layout.
    return (message) => renderBlocks(message, { mode: 'single' });
  }
  const { replyOptions } = await import('../src/platforms/discord/reply-options.ts');
  // What the adapter hands interaction.reply(): embeds, buttons, flags.
  return replyOptions;
}

async function timeCommands(deps: Deps, platform: PlatformName, render: Renderer, requests: Array<{ name: string; rawOptions: Record<string, unknown> }>): Promise<number[]> {
  const run = async (request: { name: string; rawOptions: Record<string, unknown> }, i: number) => {
    const reply = await dispatchCommand(deps, {
      ...request,
      // Many users, as on a busy server: the per-user rate limit is never what is measured.
      user: { platform, id: `bench-user-${i % 1000}` },
      channel: { platform, id: 'bench-channel', isDm: false },
      isAdmin: false,
    });
    if (reply.kind === 'error') throw new Error(`/papers ${request.name} answered an error: ${reply.text}`);
    render(reply);
  };
  // Warm-up: first calls compile code paths and fill caches, which a running bot has done long ago.
  for (const [i, request] of requests.slice(0, 20).entries()) await run(request, i);
  const samples: number[] = [];
  for (const [i, request] of requests.entries()) {
    const start = nowMs();
    await run(request, i);
    samples.push(nowMs() - start);
  }
  return samples;
}

/**
 * `searchBaselineP99`: the raw FTS5 p99 the search section measured on the same database and
 * queries, when it ran (re-measuring it costs a minute at 1M).
 */
export async function runCommandBench(options: { store: SqliteStore; size: number; queries: BenchQuery[]; runs: number; now: number; searchBaselineP99?: number }): Promise<Figure[]> {
  const label = sizeLabel(options.size);
  const { store } = options;
  // The raw SQL baselines and the clean-up read the same database directly.
  const { db } = store;
  try {
    const deps: Deps = { ...benchDeps({ COMMAND_RATE_LIMIT: '10000' }, store), clock: fixedClock(new Date(options.now).toISOString()) };
    const searches = Array.from({ length: options.runs }, (_, i) => ({ name: 'search', rawOptions: { query: options.queries[i % options.queries.length]?.text ?? 'model' } }));
    const todays = Array.from({ length: options.runs }, () => ({ name: 'today', rawOptions: {} }));

    const ftsTop10 = db.$client.prepare(
      'SELECT p.* FROM (SELECT rowid AS id, bm25(papers_fts) AS s FROM papers_fts WHERE papers_fts MATCH ? ORDER BY s LIMIT 10) f JOIN papers p ON p.id = f.id ORDER BY f.s',
    );
    const dayTop = db.$client.prepare(
      `SELECT p.* FROM paper_days d JOIN papers p ON p.id = d.paper_id
       WHERE d.feed_date = (SELECT max(feed_date) FROM paper_days WHERE feed_date <= ?) ORDER BY p.upvotes DESC LIMIT 5`,
    );
    const timeSql = (fn: (i: number) => unknown) => {
      for (let i = 0; i < 20; i += 1) fn(i);
      return Array.from({ length: options.runs }, (_, i) => {
        const start = nowMs();
        fn(i);
        return nowMs() - start;
      });
    };
    const searchBaseline = options.searchBaselineP99 ?? percentile(timeSql((i) => ftsTop10.all(options.queries[i % options.queries.length]?.match ?? '"model"')), 99);
    const todayBaseline = percentile(timeSql(() => dayTop.all(deps.clock.today())), 99);

    const figures: Figure[] = [];
    for (const platform of ['discord', 'slack'] as const) {
      let render: Renderer;
      try {
        render = await loadRenderer(platform);
      } catch (err) {
        say(`command: no ${platform} renderer: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const title = platform === 'discord' ? 'Discord' : 'Slack';
      for (const [command, requests, baseline, baselineLabel] of [
        ['search', searches, searchBaseline, 'raw FTS5 query p99'],
        ['today', todays, todayBaseline, "raw SQL for the day's top papers p99"],
      ] as const) {
        say(`command: /papers ${command} × ${requests.length} for ${title}`);
        const samples = await timeCommands(deps, platform, render, requests);
        const p99 = percentile(samples, 99);
        figures.push(
          figure({
            id: `command.${command}.${platform}.p99@${label}`, group, name: `/papers ${command} p99 via dispatchCommand + ${title} renderer at ${label}`,
            unit: 'ms', better: 'lower', value: p99, baseline, baselineLabel,
            goal: { text: '< 50 ms', met: p99 < 50 },
            note: `p50 ${percentile(samples, 50).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms over ${samples.length} runs`,
          }),
        );
      }
    }
    return figures;
  } finally {
    // Page cursors the dispatcher saved: keep the cached corpus as it was built.
    db.$client.exec('DELETE FROM page_cursors');
  }
}
