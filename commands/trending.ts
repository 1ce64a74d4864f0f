import { z } from 'zod';
import { message, textMessage } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { trendingPapers } from '../src/trending/trending-papers.ts';
import { TRENDING_WINDOWS, type TrendingWindow } from '../src/trending/windows.ts';
import { defineCommand } from './define-command.ts';
import { pageWindow, pagingFor } from './page-window.ts';

const windowNames: Record<TrendingWindow, string> = { day: 'the last 24 hours', week: 'the last 7 days', month: 'the last 30 days' };

export const trending = defineCommand({
  name: 'trending',
  description: 'Stored papers gaining upvotes fastest (upvote velocity over a day, week or month)',
  options: z.object({
    window: z.enum(TRENDING_WINDOWS).default('week').describe('day, week or month: how far back upvote gains count'),
    limit: z.number().int().min(1).max(25).default(5).describe('Papers per page (1-25)'),
  }),
  examples: ['trending', 'trending window=day', 'trending window=month limit=10'],
  async run({ options, deps, page }) {
    const now = deps.clock.now();
    const ranked = await trendingPapers(deps.store, options.window, now);
    if (ranked.length === 0) {
      return textMessage(
        `No stored paper gained upvotes in ${windowNames[options.window]}. Upvotes are read at every ingest (every 30 minutes); try a longer window.`,
      );
    }
    const window = pageWindow(ranked.length, options.limit, page);
    const shown = ranked.slice(window.offset, window.offset + options.limit);
    return message({
      kind: 'list',
      visibility: 'public',
      title: `Trending papers, ${windowNames[options.window]} (${ranked.length})`,
      text: '',
      papers: shown.map(({ paper, trend }) => ({
        ...toPaperCard(paper),
        note: `+${trend.gain} ▲ in ${windowNames[options.window]} (${trend.perHour < 10 ? trend.perHour.toFixed(1) : Math.round(trend.perHour)} an hour)`,
      })),
      footer: 'Ranked by upvotes gained per hour in the window, damped for the paper’s age.',
      paging: pagingFor(ranked.length, window),
    });
  },
});
