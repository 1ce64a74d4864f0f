import type { Deps } from '../deps.ts';
import { ARTIFACT_KINDS, artifactLookup, artifactNews, type ArtifactLookup, type Artifacts } from '../followups/artifacts.ts';
import type { FollowupEntry } from '../followups/build-followup.ts';
import { parseStoredMessage } from '../messages/stored-message.ts';
import type { Message } from '../messages/message.ts';
import type { Platform } from '../platform.ts';
import { parseQuery } from '../search/parse-query.ts';
import type { AlertedPaperArtifacts, ArtifactAlertBatch, ArtifactAlertItem, UserRef } from '../store/store.ts';
import { buildArtifactAlert, MAX_ARTIFACT_PAPERS } from './build-artifact-alert.ts';

// Artifact alerts: the rule is in README.md (this folder), "Code released after an alert".

/** Papers alerted longer ago than this are not checked any more (the follow-ups' 14-day window). */
const ARTIFACT_ALERT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/** artifact_alerts.kind of a (user, paper) looked at once: what it had then is the baseline. */
const CHECKED = 'checked';

type Card = Message['papers'][number];
type Pass = { deps: Deps; artifacts: ArtifactLookup; alertDms: Map<number, Promise<Message | null>> };

/** The card the alert DM showed for the paper; undefined when the DM did not show it (past its first cards) or is gone. */
async function alertCard(pass: Pass, candidate: AlertedPaperArtifacts, arxivId: string): Promise<Card | undefined> {
  const id = candidate.alertDeliveryId;
  if (id === null) return undefined;
  let dm = pass.alertDms.get(id);
  if (!dm) {
    dm = pass.deps.store.getDelivery(id).then((row) => {
      try {
        return row ? parseStoredMessage(row.payload) : null;
      } catch {
        return null;
      }
    });
    pass.alertDms.set(id, dm);
  }
  return (await dm)?.papers.find((card) => card.id === arxivId);
}

/** The papers among `candidates` that one of the user's watches with artifact alerts on matches (the watch that alerted, or another). */
async function followedPapers(pass: Pass, user: UserRef, candidates: AlertedPaperArtifacts[]): Promise<Set<number>> {
  const followed = new Set<number>();
  const watches = (await pass.deps.store.listWatches(user)).filter((watch) => watch.artifacts);
  const ids = candidates.map((candidate) => candidate.paperId);
  for (const watch of watches) {
    const open = ids.filter((id) => !followed.has(id));
    if (open.length === 0) break;
    for (const id of await pass.deps.store.paperIdsMatching(parseQuery(watch.query), open)) followed.add(id);
  }
  return followed;
}

/** One user's DM: the news to tell and the baseline to record. */
async function planUser(pass: Pass, user: UserRef, candidates: AlertedPaperArtifacts[]): Promise<ArtifactAlertBatch['dms'][number] | null> {
  const log = pass.deps.log.child({ module: 'alerts' });
  const followed = await followedPapers(pass, user, candidates);
  if (followed.size === 0) return null;
  const papers = new Map((await pass.deps.store.getPapersByIds([...followed])).map((paper) => [paper.id, paper]));
  const entries: FollowupEntry[] = [];
  const baseline: ArtifactAlertItem[] = [];
  for (const candidate of candidates) {
    const paper = papers.get(candidate.paperId);
    if (!paper || !followed.has(paper.id)) continue;
    let found: Artifacts | null;
    try {
      found = await pass.artifacts(paper.arxivId);
    } catch (err) {
      log.warn({ err, arxivId: paper.arxivId }, 'could not check an alerted paper for released code; the next pass tries again');
      continue;
    }
    if (!found) continue;
    const known = new Set(candidate.known);
    const firstCheck = !known.has(CHECKED);
    if (firstCheck) baseline.push({ paperId: paper.id, kind: CHECKED });
    // The DM's card showed the repo and project page the paper had when it was alerted: never news.
    const card = await alertCard(pass, candidate, paper.arxivId);
    const lines: FollowupEntry['lines'] = [];
    for (const news of artifactNews(found, card ?? { github: null, projectPage: null }, (kind) => known.has(kind))) {
      // At the first look, what the alert could not have shown (Hub repos, or anything of a paper
      // past the DM's cards) may have been there already: the baseline, never told.
      const appeared = card !== undefined && (news.kind === 'github' || news.kind === 'project');
      if (firstCheck && !appeared) baseline.push({ paperId: paper.id, kind: news.kind });
      else lines.push({ item: news.kind, text: news.text });
    }
    if (lines.length > 0 && entries.length < MAX_ARTIFACT_PAPERS) entries.push({ paperId: paper.id, arxivId: paper.arxivId, title: paper.title, lines });
  }
  const items = entries.flatMap((entry) => entry.lines.map((line) => ({ paperId: entry.paperId, kind: line.item })));
  if (items.length === 0 && baseline.length === 0) return null;
  return {
    user,
    idempotencyKey: `artifacts:${user.platform}:${user.id}:${pass.deps.clock.now()}`,
    items,
    baseline,
    message: (fresh) => buildArtifactAlert(entries, fresh),
  };
}

/**
 * One pass over the papers alerted in the last 14 days (README.md): per user at most one DM of
 * what appeared for them since, recorded with its artifact_alerts rows in one unit. Runs after
 * each ingest job, on the leader; returns how many DMs it queued. Users whose DMs are closed and
 * platforms not running are left for a later pass.
 */
export async function planArtifactAlerts(deps: Deps, platforms: Platform[], artifacts: ArtifactLookup = artifactLookup(deps)): Promise<number> {
  const now = deps.clock.now();
  const running = new Set<string>(platforms);
  const byUser = new Map<string, { user: UserRef; candidates: AlertedPaperArtifacts[] }>();
  for (const candidate of await deps.store.artifactAlertCandidates(now - ARTIFACT_ALERT_WINDOW_MS)) {
    if (!running.has(candidate.platform) || ARTIFACT_KINDS.every((kind) => candidate.known.includes(kind))) continue;
    const key = `${candidate.platform}\u0000${candidate.userId}`;
    const entry = byUser.get(key) ?? { user: { platform: candidate.platform, id: candidate.userId }, candidates: [] };
    entry.candidates.push(candidate);
    byUser.set(key, entry);
  }
  if (byUser.size === 0) return 0;
  const closed = new Map(await Promise.all([...running].map(async (platform) => [platform, await deps.store.listDmClosedUsers(platform)] as const)));
  const pass: Pass = { deps, artifacts, alertDms: new Map() };
  const dms: ArtifactAlertBatch['dms'] = [];
  for (const { user, candidates } of byUser.values()) {
    if (closed.get(user.platform)?.has(user.id)) continue;
    const dm = await planUser(pass, user, candidates);
    if (dm) dms.push(dm);
  }
  if (dms.length === 0) return 0;
  const recorded = await deps.store.recordArtifactAlerts({ dms, now });
  if (recorded.deliveries > 0) deps.log.child({ module: 'alerts' }).info(recorded, 'artifact alerts queued');
  return recorded.deliveries;
}
