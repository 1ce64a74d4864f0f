import { parseQuery } from '../search/parse-query.ts';
import type { DigestRow, PaperRow, Store } from '../store/store.ts';
import { queryRelevance } from './query-relevance.ts';
import { queryVerdicts } from './query-verdicts.ts';
import { selectDigest, type DigestFilters, type DigestSelection } from './select-digest.ts';

/** A whole-archive announcement (`cs`) lists one to two thousand papers on a busy day. */
const MAX_ANNOUNCEMENT_PAPERS = 10_000;
/** "No cut": a selection's every passing paper, before two sources share the top N. */
const UNCUT = Number.MAX_SAFE_INTEGER;

/**
 * The papers of one arXiv announcement an arXiv digest posts: its new and cross-listed papers
 * (never replacements), narrowed by the query (include terms must match, exclusions must not),
 * ranked by query relevance when the query has words, then by Daily Papers upvotes (0 until
 * Hugging Face lists a paper), then in arXiv's listing order; then the top N. min_upvotes and
 * sort are Daily Papers' filters and do not apply here (most new papers have no upvotes yet).
 */
export async function selectAnnouncement(store: Store, config: Pick<DigestRow, 'top' | 'query'>, announcement: string): Promise<DigestSelection> {
  const { papers } = await store.listArxivAnnouncement(announcement, { limit: MAX_ANNOUNCEMENT_PAPERS, offset: 0 });
  return rankAnnouncement(store, config, papers);
}

async function rankAnnouncement(store: Store, config: Pick<DigestRow, 'top' | 'query'>, papers: PaperRow[]): Promise<DigestSelection> {
  const verdicts = await queryVerdicts(store, config.query, papers.map((paper) => paper.id));
  const excluded: DigestSelection['excluded'] = [];
  const matching = papers.filter((paper) => {
    const verdict = verdicts.get(paper.id) ?? 'match';
    if (verdict !== 'match') excluded.push({ paper, reason: verdict });
    return verdict === 'match';
  });
  const relevance = await queryRelevance(store, parseQuery(config.query), matching);
  const score = (paper: PaperRow) => relevance.get(paper.id) ?? 0;
  // Stable sort: ties keep arXiv's listing order.
  const ranked = [...matching].sort((a, b) => score(b) - score(a) || b.upvotes - a.upvotes);
  const included = ranked.slice(0, config.top);
  for (const paper of ranked.slice(config.top)) excluded.push({ paper, reason: 'past_top_n' });
  return { included, excluded, dayTotal: papers.length };
}

export type CombinedSelection = {
  selection: DigestSelection;
  /** Which of the selection's papers came from the arXiv announcement (the rest: the feed day). */
  fromArxiv: Set<number>;
};

/**
 * A `source=all` post: the feed day(s) ranked and filtered as an hf digest, first; then the
 * announcement's papers that the feed day(s) do not list, ranked as an arXiv digest. A paper on
 * both lists counts once, as a Daily Papers paper (its upvotes rank it and min_upvotes applies).
 * The top N is taken over the two lists in that order.
 */
export async function selectCombined(store: Store, config: DigestFilters, feedDates: string[], announcement: string | null, now: number): Promise<CombinedSelection> {
  const daily = await selectDigest(store, { ...config, top: UNCUT }, feedDates, now);
  const onFeedDay = new Set([...daily.included, ...daily.excluded.map((entry) => entry.paper)].map((paper) => paper.id));
  const listed = announcement === null ? [] : (await store.listArxivAnnouncement(announcement, { limit: MAX_ANNOUNCEMENT_PAPERS, offset: 0 })).papers;
  const arxiv = await rankAnnouncement(store, { ...config, top: UNCUT }, listed.filter((paper) => !onFeedDay.has(paper.id)));
  const passing = [...daily.included, ...arxiv.included];
  const included = passing.slice(0, config.top);
  const excluded = [...daily.excluded, ...arxiv.excluded, ...passing.slice(config.top).map((paper) => ({ paper, reason: 'past_top_n' as const }))];
  return {
    selection: { included, excluded, dayTotal: daily.dayTotal + arxiv.dayTotal },
    fromArxiv: new Set(arxiv.included.map((paper) => paper.id)),
  };
}
