import type { DigestRow, PaperRow, Store } from '../store/store.ts';
import { sortRising } from '../trending/trending-papers.ts';
import { queryVerdicts } from './query-verdicts.ts';

/** Why a paper of the day is not in the digest, in the order the filters apply. */
export const exclusionReasons = ['below_min_upvotes', 'not_matching_query', 'excluded_by_query', 'past_top_n'] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

export type DigestSelection = {
  /** What the digest posts, best first. */
  included: PaperRow[];
  /** Every other paper of the day(s), with the first filter that left it out. */
  excluded: Array<{ paper: PaperRow; reason: ExclusionReason }>;
  /** Distinct papers listed on the day(s), before any filter (0 = the feed was empty). */
  dayTotal: number;
};

/** `sort` left out: by upvotes. */
export type DigestFilters = Pick<DigestRow, 'top' | 'minUpvotes' | 'query'> & Partial<Pick<DigestRow, 'sort'>>;

/** HF lists about 50–150 papers a day; the feed reader stops at 20 pages of 100. */
const MAX_PAPERS_PER_DAY = 2_000;

/**
 * The papers of the feed day(s) a digest posts: ranked by upvotes (or rising: by upvote velocity
 * at `now`, with `sort: 'rising'`) (a paper listed on two of the
 * days counts once), then min upvotes, then the channel's query (include terms must match,
 * exclude terms must not), then the top N. Several days (an "offline" post) are ranked together.
 */
export async function selectDigest(store: Store, config: DigestFilters, feedDates: string[], now = 0): Promise<DigestSelection> {
  const byId = new Map<number, PaperRow>();
  for (const day of feedDates) {
    for (const paper of (await store.listPapersForDay(day, { limit: MAX_PAPERS_PER_DAY, offset: 0, sort: 'upvotes' })).papers) {
      if (!byId.has(paper.id)) byId.set(paper.id, paper);
    }
  }
  // Stable sort: ties keep the feed's own order (day, then position).
  const byUpvotes = [...byId.values()].sort((a, b) => b.upvotes - a.upvotes);
  // `sort=rising`: the day's upvote velocity at `now` (src/trending/), the rest by upvotes.
  const ranked = config.sort === 'rising' ? await sortRising(store, byUpvotes, 'day', now) : byUpvotes;
  const excluded: DigestSelection['excluded'] = [];
  const passing = ranked.filter((paper) => {
    if (paper.upvotes >= config.minUpvotes) return true;
    excluded.push({ paper, reason: 'below_min_upvotes' });
    return false;
  });
  const verdicts = await queryVerdicts(store, config.query, passing.map((paper) => paper.id));
  const included: PaperRow[] = [];
  for (const paper of passing) {
    const verdict = verdicts.get(paper.id) ?? 'match';
    if (verdict !== 'match') excluded.push({ paper, reason: verdict });
    else if (included.length < config.top) included.push(paper);
    else excluded.push({ paper, reason: 'past_top_n' });
  }
  return { included, excluded, dayTotal: ranked.length };
}
