import type { FollowupItem } from './store.ts';

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
