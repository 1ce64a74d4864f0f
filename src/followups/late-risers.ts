import { selectDigest } from '../digest/select-digest.ts';
import type { DigestRow, PaperRow, Store } from '../store/store.ts';

type LateRiser = { paper: PaperRow; rank: number };

/**
 * Papers of the post's feed day(s) that the post left out and that rank in the channel's top N
 * now, with the digest's own filters (the same selection the post made, on today's upvotes).
 */
export async function findLateRisers(store: Store, digest: Pick<DigestRow, 'top' | 'minUpvotes' | 'query'>, feedDates: string[], postedArxivIds: Set<string>): Promise<LateRiser[]> {
  const selection = await selectDigest(store, digest, feedDates);
  return selection.included
    .map((paper, index) => ({ paper, rank: index + 1 }))
    .filter((entry) => !postedArxivIds.has(entry.paper.arxivId));
}
