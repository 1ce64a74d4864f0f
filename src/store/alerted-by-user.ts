// What Store.alertedAmong returns, and the per-user view of it both backends' recordAlerts use.

export type AlertedPair = { platform: string; userId: string; paperId: number };

/** One key per (platform, user). */
export const userKey = (platform: string, userId: string): string => `${platform}\u0000${userId}`;

/** userKey → the paper ids already alerted to that user. */
export function alertedByUser(pairs: AlertedPair[]): Map<string, Set<number>> {
  const byUser = new Map<string, Set<number>>();
  for (const pair of pairs) {
    const key = userKey(pair.platform, pair.userId);
    const papers = byUser.get(key);
    if (papers) papers.add(pair.paperId);
    else byUser.set(key, new Set([pair.paperId]));
  }
  return byUser;
}
