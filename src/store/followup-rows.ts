import type { FollowupItem, FollowupWrite } from './store.ts';

/** followup_items.delivery_id of a baseline row: known before the first check, never told. */
export const BASELINE = 0;

/** `digest:discord:123:2026-09-01` → `followup:discord:123:2026-09-01:2` for the thread's second follow-up. */
export function followupKey(digestKey: string, n: number): string {
  return `${digestKey.replace(/^digest:/, 'followup:')}:${n}`;
}

/** The items not told yet, each once. */
export function freshItems(items: FollowupItem[], told: FollowupItem[]): FollowupItem[] {
  const seen = new Set(told.map((row) => `${row.paperId}:${row.item}`));
  return items.filter((item) => {
    const key = `${item.paperId}:${item.item}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** When the latest follow-up was queued, from its rows (baseline rows are not follow-ups); null: none. */
export function latestTold(rows: Array<{ deliveryId: number; at: number }>): number | null {
  const told = rows.filter((row) => row.deliveryId !== BASELINE);
  return told.length === 0 ? null : Math.max(...told.map((row) => row.at));
}

export function baselineRows(write: FollowupWrite) {
  return write.baseline.map((item) => ({ digestKey: write.digest.idempotencyKey, ...item, deliveryId: BASELINE, at: write.now }));
}
