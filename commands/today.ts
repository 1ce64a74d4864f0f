import { z } from 'zod';
import { message, textMessage } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { defineCommand } from './define-command.ts';
import { pageWindow, pagingFor } from './page-window.ts';

export const today = defineCommand({
  name: 'today',
  description: "The latest day's papers from Hugging Face Daily Papers (or arXiv's latest announcement)",
  options: z.object({
    limit: z.number().int().min(1).max(25).default(5).describe('Papers per page (1-25)'),
    sort: z.enum(['upvotes', 'new']).default('upvotes').describe('upvotes (most first) or new (latest added first)'),
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
      return message({
        kind: 'list',
        visibility: 'public',
        // Listing order: arXiv's own (new submissions, then cross-lists); replacements are left out.
        title: `arXiv announcement of ${announcement} (${result.total} new and cross-listed)`,
        titleUrl: `https://arxiv.org/list/${categories[0] ?? 'cs'}/new`,
        text: categories.length > 0 ? `Categories: ${categories.join(', ')}` : '',
        papers: result.papers.map((row) => toPaperCard(row)),
        paging: pagingFor(result.total, window),
      });
    }
    const todayUtc = deps.clock.today();
    const day = await deps.store.latestFeedDayWithPapers(todayUtc);
    if (!day) {
      return textMessage('No papers stored yet. The feed is fetched every 30 minutes; an admin can backfill days with `paperboy ingest --from YYYY-MM-DD --to YYYY-MM-DD`.');
    }
    const list = (offset: number) => deps.store.listPapersForDay(day, { limit: options.limit, offset, sort: options.sort });
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
      title: `${options.sort === 'new' ? 'Newest' : 'Top'} papers for ${day} (${total})`,
      titleUrl: `https://huggingface.co/papers/date/${day}`,
      text: note,
      papers: papers.map((row) => toPaperCard(row)),
      paging: pagingFor(total, window),
    });
  },
});
