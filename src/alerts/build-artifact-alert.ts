import { newsFields, type FollowupEntry } from '../followups/build-followup.ts';
import { message, type Message } from '../messages/message.ts';
import type { ArtifactAlertItem } from '../store/store.ts';

/** Papers in one artifact DM at most (Discord allows 25 embed fields, Slack 50 blocks); the rest wait for the next check. */
export const MAX_ARTIFACT_PAPERS = 10;

/**
 * The DM telling one user what appeared for papers their watches alerted them to: one field per
 * paper ("code released: github.com/org/repo (★ 120)"), for the items not told yet (`fresh`).
 * Lines carry the artifact kind as their item. Plain text; adapters escape it and mention nobody.
 */
export function buildArtifactAlert(entries: FollowupEntry[], fresh: ArtifactAlertItem[]): Message {
  const fields = newsFields(entries, new Set(fresh.map((item) => `${item.paperId}:${item.kind}`)));
  return message({
    kind: 'text',
    visibility: 'private',
    title: fields.length === 1 ? 'Released for a paper you were alerted to' : `Released for ${fields.length} papers you were alerted to`,
    text: 'Code, a project page, models, datasets or Spaces appeared since your watch alerted you.',
    fields,
    footer: 'You hear about each kind once per paper, up to 14 days after the alert. `watch <query> artifacts:no` turns this off for a watch.',
  });
}
