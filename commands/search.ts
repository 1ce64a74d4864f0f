import { z } from 'zod';
import type { Deps } from '../src/deps.ts';
import { parseArxivId } from '../src/papers/arxiv-id.ts';
import { message } from '../src/messages/message.ts';
import { parseQuery } from '../src/search/parse-query.ts';
import { describeQueryText } from '../src/search/query-key.ts';
import { RANK_WINDOW, type SearchResult } from '../src/store/store.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { defineCommand } from './define-command.ts';
import { checkQuery } from './check-query.ts';
import { showPaper } from './paper.ts';
import { looserAdvice, looserQueries, type LooserQuery } from './looser-query.ts';
import { pageWindow, pagingFor } from './page-window.ts';
import { stripControls } from './strip-controls.ts';

export const search = defineCommand({
  name: 'search',
  description: 'Search every stored paper (relevance blended with upvotes and recency)',
  options: z.object({
    query: z.string().trim().min(1).max(500).describe('Words, "phrases", a OR b, -exclude, author:"Name", org:name, since:YYYY-MM-DD, min:N'),
    limit: z.number().int().min(1).max(25).default(5).describe('Results per page (1-25)'),
  }),
  rest: 'query',
  examples: ['search diffusion -survey', 'search "state space" author:"Albert Gu" min:10', 'search query="video generation" limit=10'],
  async run({ options, deps, page, syntax }) {
    const now = deps.clock.now();
    const query = stripControls(options.query);
    // An arXiv id or link typed into search means that paper, as `/papers paper` would show it.
    const arxivId = parseArxivId(query);
    if (arxivId) return showPaper(deps, arxivId);
    checkQuery(query, { today: deps.clock.today(), verb: 'search', syntax });
    const parsed = parseQuery(query);
    const run = (offset: number) => deps.store.searchPapers(parsed, { limit: options.limit, offset, now });
    const requested = (page ?? 0) * options.limit;
    let result = await run(requested);
    if (result.total === 0) return noResults(deps, query, result.searched);
    const window = pageWindow(result.total, options.limit, page);
    if (window.offset !== requested) result = await run(window.offset);
    return message({
      kind: 'list',
      visibility: 'public',
      title: `Search: ${query} (${result.capped ? `${result.total}+` : result.total} ${result.total === 1 && !result.capped ? 'paper' : 'papers'} of ${count(result.searched)} searched)`,
      text: windowNote(result),
      papers: result.results.map(({ paper, score }) => ({ ...toPaperCard(paper), score })),
      footer: `Understood as: ${describeQueryText(query)}. Ranked by relevance, upvotes and recency.`,
      paging: pagingFor(result.total, window),
    });
  },
});

const count = (n: number) => n.toLocaleString('en-US');

/** For a broad query: only the newest matches were ranked, and how to narrow it. */
function windowNote(result: SearchResult): string {
  if (!result.capped) return '';
  const of = result.estimatedMatches !== undefined ? `about ${count(result.estimatedMatches)}` : `more than ${count(RANK_WINDOW)}`;
  return `Ranked the ${count(RANK_WINDOW)} newest of ${of} matches (and older papers whose title has every word); add words or \`since:\` to narrow.`;
}

async function noResults(deps: Pick<Deps, 'store' | 'clock'>, text: string, searched: number) {
  const now = deps.clock.now();
  // One at a time, in order: the first looser query that finds anything is the hint.
  let looser: (LooserQuery & { total: number }) | undefined;
  for (const candidate of looserQueries(parseQuery(text)).slice(0, 6)) {
    const { total } = await deps.store.searchPapers(parseQuery(candidate.text), { limit: 1, offset: 0, now });
    if (total > 0) {
      looser = { ...candidate, total };
      break;
    }
  }
  const hint = looser
    ? `Try a looser query, ${looser.why}: \`${looser.text}\` finds ${looser.total} ${looser.total === 1 ? 'paper' : 'papers'}.`
    : looserAdvice(parseQuery(text));
  return message({
    kind: 'text',
    // A miss concerns only the person searching: no need to show it to the channel.
    visibility: 'private',
    title: `Search: ${text} (0 papers of ${count(searched)} searched)`,
    text: `No stored papers match \`${text}\`. ${hint}`,
    footer: `Understood as: ${describeQueryText(text)}.`,
  });
}
