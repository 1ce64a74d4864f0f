import { matchedTerms } from '../search/matched-terms.ts';
import type { Db } from '../store/open-db.ts';
import type { CompiledWatch } from './compile-watch.ts';
import { candidateBits, evaluateWatch, forEachBit, spelledTerms } from './evaluate-watch.ts';
import { loadPaperBatch, type BatchPaper } from './paper-batch.ts';
import { getWatchIndex } from './watch-index.ts';

// Which users get which of the new papers. Percolator-style: the papers are tokenised once, the
// cached watch index wakes only watches whose anchor token occurs in the batch, bitsets narrow each
// woken watch to the papers holding all its tokens, and an exact evaluation with FTS5's semantics
// decides (test/watches proves it agrees with searchPapers). Cost grows with the watches that
// could match, not with all watches × all papers.

export type WatchMatch = { paperId: number; watchId: number; watchQuery: string; terms: string[] };
export type UserMatches = { platform: string; userId: string; matches: WatchMatch[] };

type Found = { watch: CompiledWatch; paper: BatchPaper; hits: NonNullable<ReturnType<typeof evaluateWatch>> };

const userKey = (platform: string, userId: string) => `${platform}\u0000${userId}`;

/** Papers already alerted, as `platform\0user` → paper ids, for the papers of this batch only. */
function alreadyAlerted(db: Db, paperIds: number[]): Map<string, Set<number>> {
  const done = new Map<string, Set<number>>();
  const read = db.$client.prepare<unknown[], { platform: string; userId: string; paperId: number }>(
    `SELECT platform, user_id AS userId, paper_id AS paperId FROM alerted_papers WHERE paper_id IN (SELECT value FROM json_each(?))`,
  );
  for (const row of read.iterate(JSON.stringify(paperIds))) {
    const key = userKey(row.platform, row.userId);
    const set = done.get(key) ?? new Set<number>();
    set.add(row.paperId);
    done.set(key, set);
  }
  return done;
}

/**
 * For each user, the new papers matching any of their watches, each paper once (credited to the
 * user's first matching watch in list order, with the words it matched), never a paper already in
 * alerted_papers for that user. Users are ordered by platform and id, papers as in `newPaperIds`.
 */
export function matchWatches(db: Db, newPaperIds: number[]): UserMatches[] {
  if (newPaperIds.length === 0) return [];
  const index = getWatchIndex(db);
  if (index.watches.length === 0) return [];
  const batch = loadPaperBatch(db, newPaperIds);
  // Woken watches: an anchor token in some new paper, or nothing to anchor on.
  const woken = new Set<CompiledWatch>(index.unanchored);
  for (const token of batch.anyColumn.keys()) for (const watch of index.byAnchor.get(token) ?? []) woken.add(watch);
  const done = alreadyAlerted(db, batch.papers.map((p) => p.id));
  // First match per (user, paper): index.watches is in each user's list order.
  const first = new Map<string, Map<number, Found>>();
  for (const watch of index.watches) {
    if (!woken.has(watch)) continue;
    const key = userKey(watch.platform, watch.userId);
    const mine = first.get(key) ?? new Map<number, Found>();
    forEachBit(candidateBits(batch, watch), (bit) => {
      const paper = batch.papers[bit];
      if (!paper || mine.has(paper.id) || done.get(key)?.has(paper.id)) return;
      const hits = evaluateWatch(watch, paper);
      if (hits) mine.set(paper.id, { watch, paper, hits });
    });
    if (mine.size > 0) first.set(key, mine);
  }
  const order = new Map(newPaperIds.map((id, i) => [id, i] as const));
  const result: UserMatches[] = [];
  for (const mine of first.values()) {
    const found = [...mine.values()].sort((a, b) => (order.get(a.paper.id) ?? 0) - (order.get(b.paper.id) ?? 0));
    const head = found[0];
    if (!head) continue;
    result.push({
      platform: head.watch.platform,
      userId: head.watch.userId,
      matches: found.map(({ watch, paper, hits }) => ({
        paperId: paper.id,
        watchId: watch.id,
        watchQuery: watch.query,
        // The words as spelled in the paper; when the split is unsure, FTS5's highlight() says.
        terms: spelledTerms(paper, hits) ?? matchedTerms(db, paper.id, watch.query),
      })),
    });
  }
  return result.sort((a, b) => (a.platform === b.platform ? compare(a.userId, b.userId) : compare(a.platform, b.platform)));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
