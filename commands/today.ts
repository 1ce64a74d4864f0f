import { z } from 'zod';
import { arxivListUrl } from '../src/digest/arxiv-list-url.ts';
import { message, textMessage } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import type { Deps } from '../src/deps.ts';
import type { PaperRow } from '../src/store/store.ts';
import { sortRising } from '../src/trending/trending-papers.ts';
import { defineCommand } from './define-command.ts';
import { pageWindow, pagingFor } from './page-window.ts';

export const today = defineCommand({
  name: 'today',
  description: "The latest day's papers from Hugging Face Daily Papers (or arXiv's latest announcement)",
  options: z.object({
    limit: z.number().int().min(1).max(25).default(5).describe('Papers per page (1-25)'),
    sort: z.enum(['upvotes', 'new', 'rising']).default('upvotes').describe('upvotes (most first), new (latest added first) or rising (upvote velocity)'),
    source: z.enum(['hf', 'arxiv']).default('hf').describe("hf (Daily Papers) or arxiv (the latest announcement's new and cross-listed papers)"),
  }),
  examples: ['today', 'today limit=10 sort=new', 'today source=arxiv'],
  async run({ options, deps, page }) {
    const requested = (page ?? 0) * options.limit;
    if (options.source === 'arxiv') {
      const announcement = (await deps.store.arxivPollState()).lastStored?.announcement ?? null;
      if (!announcement) {
        const off = deps.config.ARXIV_CATEGORIES.length === 0;
        return textMessage(
          off
            ? 'The arXiv source is off: an admin sets ARXIV_CATEGORIES (e.g. cs.CL,cs.LG) to read arXiv listings.'
            : `No arXiv announcement stored yet. arXiv is polled on ARXIV_CRON; an admin can poll now with \`paperboy ingest --source arxiv\`.`,
        );
      }
      const list = (offset: number) => deps.store.listArxivAnnouncement(announcement, { limit: options.limit, offset });
      let result = await list(requested);
      const window = pageWindow(result.total, options.limit, page);
      if (window.offset !== requested) result = await list(window.offset);
      const categories = deps.config.ARXIV_CATEGORIES;
      // What the list is not: arXiv has no upvotes to rank by, and a source switched off stops at its last announcement.
      const notes = [
        ...(categories.length > 0 ? [`Categories: ${categories.join(', ')}`] : ['The arXiv source is off (ARXIV_CATEGORIES is empty): this is the last announcement stored.']),
        ...(options.sort !== 'upvotes' ? [`In arXiv's listing order: sort=${options.sort} applies to Hugging Face days.`] : []),
      ];
      return message({
        kind: 'list',
        visibility: 'public',
        // Listing order: arXiv's own (new submissions, then cross-lists); replacements are left out.
        title: `arXiv announcement of ${announcement} (${result.total} new and cross-listed)`,
        titleUrl: arxivListUrl('', categories),
        text: notes.join('\n'),
        papers: result.papers.map((row) => toPaperCard(row)),
        paging: pagingFor(result.total, window),
      });
    }
    const todayUtc = deps.clock.today();
    const day = await deps.store.latestFeedDayWithPapers(todayUtc);
    if (!day) {
      return textMessage('No papers stored yet. The feed is fetched every 30 minutes; an admin can backfill days with `paperboy ingest --from YYYY-MM-DD --to YYYY-MM-DD`.');
    }
    const list = (offset: number) =>
      options.sort === 'rising' ? risingSlice(deps, day, options.limit, offset) : deps.store.listPapersForDay(day, { limit: options.limit, offset, sort: options.sort });
    let result = await list(requested);
    const window = pageWindow(result.total, options.limit, page);
    // The list shrank since the buttons were drawn (rare): show its last page.
    if (window.offset !== requested) result = await list(window.offset);
    const { total, papers } = result;
    // HF publishes a day's list during that day (UTC); before the first paper lands, say which day this is.
    const note = day === todayUtc ? '' : `No papers for today (${todayUtc}) yet; showing ${day}, the most recent day with papers.`;
    return message({
      kind: 'list',
      visibility: 'public',
      title: `${titles[options.sort]} papers for ${day} (${total})`,
      titleUrl: `https://huggingface.co/papers/date/${day}`,
      text: note,
      papers: papers.map((row) => toPaperCard(row)),
      paging: pagingFor(total, window),
    });
  },
});

const titles = { upvotes: 'Top', new: 'Newest', rising: 'Rising' } as const;

/** A day holds at most a few hundred papers (the digest reads up to 2,000 the same way). */
const MAX_DAY_PAPERS = 2_000;

/** `sort:rising`: the whole day ranked by upvote velocity over the last day (src/trending/), then one page of it. */
async function risingSlice(deps: Deps, day: string, limit: number, offset: number): Promise<{ total: number; papers: PaperRow[] }> {
  const { total, papers } = await deps.store.listPapersForDay(day, { limit: MAX_DAY_PAPERS, offset: 0, sort: 'upvotes' });
  const ranked = await sortRising(deps.store, papers, 'day', deps.clock.now());
  return { total, papers: ranked.slice(offset, offset + limit) };
}
