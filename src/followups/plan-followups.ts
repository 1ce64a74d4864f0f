import type { Deps } from '../deps.ts';
import { feedDatesOfKey } from '../digest/enqueue-digest.ts';
import { parseStoredMessage } from '../messages/stored-message.ts';
import type { Message } from '../messages/message.ts';
import type { Platform } from '../platform.ts';
import type { DigestRow, FollowupItem, FollowupThread, PaperRow } from '../store/store.ts';
import { artifactLookup, artifactNews, type ArtifactLookup, type Artifacts } from './artifacts.ts';
import { buildFollowup, MAX_FOLLOWUP_PAPERS, threadName, type FollowupEntry } from './build-followup.ts';
import { findLateRisers } from './late-risers.ts';

// The rule is in README.md (this folder): which posts, how often, what is news, exactly once.

/** A post older than this gets no more follow-ups. */
const FOLLOWUP_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** followup_items.item of a paper whose Hugging Face repos were first looked at (the baseline). */
const REPOS_CHECKED = 'repos';

type Pass = { deps: Deps; now: number; artifacts: ArtifactLookup };

/** What is new for one posted paper: lines to tell, and the baseline to record at its first check. */
function newsFor(paperId: number, card: Message['papers'][number], found: Artifacts, told: Set<string>): { lines: FollowupEntry['lines']; baseline: FollowupItem[] } {
  const lines: FollowupEntry['lines'] = [];
  const baseline: FollowupItem[] = [];
  const firstCheck = !told.has(REPOS_CHECKED);
  if (firstCheck) baseline.push({ paperId, item: REPOS_CHECKED });
  // The post showed its repo and project page already: artifactNews leaves them out.
  for (const news of artifactNews(found, card, (_kind, item) => told.has(item))) {
    // The Hub repos linked at the first look are the baseline, not news.
    if (firstCheck && news.kind !== 'github' && news.kind !== 'project') {
      baseline.push(...news.items.map((item) => ({ paperId, item })));
      continue;
    }
    const [first = news.kind, ...others] = news.items;
    lines.push({ item: first, text: news.text });
    // The others are told by this line too.
    for (const item of others) lines.push({ item, text: '' });
  }
  return { lines, baseline };
}

async function planThread(pass: Pass, digest: DigestRow, thread: FollowupThread, interval: number): Promise<boolean> {
  const { deps, now } = pass;
  const log = deps.log.child({ module: 'followups' });
  const feedDates = feedDatesOfKey(thread.digest.idempotencyKey);
  if (feedDates.length === 0) return false;
  const regular = await deps.store.regularlyIngestedDays(feedDates);
  // A day that only a backfill stored: its post is history, not news.
  if (feedDates.some((day) => !regular.has(day))) return false;
  let posted: Message;
  try {
    posted = parseStoredMessage(thread.digest.payload);
  } catch (err) {
    log.warn({ err, key: thread.digest.idempotencyKey }, 'cannot read a digest post; no follow-ups for it');
    return false;
  }
  const quietSince = now - interval;
  const due = (thread.lastFollowupAt ?? thread.digest.sentAt ?? now) <= quietSince;
  const toldByPaper = new Map<number, Set<string>>();
  for (const item of thread.told) toldByPaper.set(item.paperId, (toldByPaper.get(item.paperId) ?? new Set()).add(item.item));
  const postedPapers: Array<{ card: Message['papers'][number]; paper: PaperRow }> = [];
  for (const card of posted.papers) {
    const paper = await deps.store.getPaperByArxivId(card.id);
    if (paper) postedPapers.push({ card, paper });
  }
  // Between two follow-ups only the first look at a posted paper's repos (its baseline) is taken.
  const unchecked = postedPapers.filter(({ paper }) => !toldByPaper.get(paper.id)?.has(REPOS_CHECKED));
  if (!due && unchecked.length === 0) return false;

  const entries: FollowupEntry[] = [];
  const baseline: FollowupItem[] = [];
  if (due) {
    const postedIds = new Set(posted.papers.map((card) => card.id));
    for (const { paper, rank } of await findLateRisers(deps.store, digest, feedDates, postedIds)) {
      if (toldByPaper.get(paper.id)?.has('rank')) continue;
      entries.push({ paperId: paper.id, arxivId: paper.arxivId, title: paper.title, lines: [{ item: 'rank', text: `climbed to #${rank} with ${paper.upvotes} ▲` }] });
    }
  }
  for (const { card, paper } of due ? postedPapers : unchecked) {
    let found: Artifacts | null;
    try {
      found = await pass.artifacts(card.id);
    } catch (err) {
      log.warn({ err, arxivId: card.id }, 'could not check a paper for released code; the next pass tries again');
      continue;
    }
    if (!found) continue;
    const news = newsFor(paper.id, card, found, toldByPaper.get(paper.id) ?? new Set());
    baseline.push(...news.baseline);
    if (due && news.lines.length > 0) entries.push({ paperId: paper.id, arxivId: paper.arxivId, title: paper.title, lines: news.lines });
  }
  const shown = entries.slice(0, MAX_FOLLOWUP_PAPERS);
  const items = shown.flatMap((entry) => entry.lines.map((line) => ({ paperId: entry.paperId, item: line.item })));
  if (items.length === 0 && baseline.length === 0) return false;
  const visible = shown.map((entry) => ({ ...entry, lines: entry.lines.filter((line) => line.text !== '') }));
  const result = await deps.store.recordFollowup({
    digest: thread.digest,
    threadName: threadName(feedDates),
    items: due ? items : [],
    baseline,
    message: (fresh) => buildFollowup(feedDates, visible, fresh),
    quietSince,
    now,
  });
  if (result.deliveryId !== null) log.info({ platform: digest.platform, channelId: digest.channelId, key: thread.digest.idempotencyKey, items: result.items }, 'follow-up queued');
  return result.deliveryId !== null;
}

/**
 * One pass over every digest post that may get a follow-up (README.md). Runs after each ingest
 * job; returns how many follow-ups it queued. One channel's failure does not stop the others.
 */
export async function planFollowups(deps: Deps, platforms: Platform[], artifacts: ArtifactLookup = artifactLookup(deps)): Promise<number> {
  const log = deps.log.child({ module: 'followups' });
  const now = deps.clock.now();
  const pass: Pass = { deps, now, artifacts };
  let queued = 0;
  for (const digest of await deps.store.listDigests()) {
    if (!digest.enabled || !digest.followups || digest.pausedReason !== null || !platforms.includes(digest.platform as Platform)) continue;
    try {
      for (const thread of await deps.store.followupThreads(digest.platform, digest.channelId, now - FOLLOWUP_WINDOW_MS)) {
        if (await planThread(pass, digest, thread, deps.config.FOLLOWUP_INTERVAL)) queued += 1;
      }
    } catch (err) {
      log.error({ err, platform: digest.platform, channelId: digest.channelId }, 'could not plan follow-ups for a channel');
    }
  }
  return queued;
}
