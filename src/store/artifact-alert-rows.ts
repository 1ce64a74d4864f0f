import type { AlertedPaperArtifacts, ArtifactAlertItem, UserRef } from './store.ts';

// Shared by both backends' artifact-alerts.ts: the rows of artifact_alerts and the candidates' view of them.

/** artifact_alerts.delivery_id of a baseline row: there at the first check, never told. */
export const BASELINE = 0;
/** delivery_id of rows inserted in the unit before their DM is queued (set to the DM's id in the same unit). */
export const QUEUING = -1;

/** Each (paper, kind) once, in the order given. */
function uniqueItems(items: ArtifactAlertItem[]): ArtifactAlertItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.paperId}:${item.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function artifactRows(user: UserRef, items: ArtifactAlertItem[], deliveryId: number, now: number) {
  return uniqueItems(items).map((item) => ({ platform: user.platform, userId: user.id, paperId: item.paperId, kind: item.kind, deliveryId, at: now }));
}

type AlertedRow = { platform: string; userId: string; paperId: number; deliveryId: number | null; alertedAt: number };
type KnownRow = { platform: string; userId: string; paperId: number; kind: string };

const pairKey = (row: { platform: string; userId: string; paperId: number }) => `${row.platform}\u0000${row.userId}\u0000${row.paperId}`;

export function candidatesOf(alerted: AlertedRow[], known: KnownRow[]): AlertedPaperArtifacts[] {
  const kinds = new Map<string, string[]>();
  for (const row of known) kinds.set(pairKey(row), [...(kinds.get(pairKey(row)) ?? []), row.kind]);
  return alerted.map((row) => ({
    platform: row.platform,
    userId: row.userId,
    paperId: row.paperId,
    alertDeliveryId: row.deliveryId,
    alertedAt: row.alertedAt,
    known: (kinds.get(pairKey(row)) ?? []).sort(),
  }));
}
