import type { webApi } from '@slack/bolt';
import type { Deps } from '../../deps.ts';

/** How long a users.info answer is trusted: admins change rarely, commands come in bursts. */
const ADMIN_CACHE_MS = 5 * 60_000;

/** Expired answers are dropped once the cache holds this many users. */
const MAX_CACHED_USERS = 1000;

export type AdminCheck = (userId: string) => Promise<boolean>;

/**
 * Workspace admins and owners (users.info `is_admin` / `is_owner` / `is_primary_owner`) and the
 * users listed in SLACK_ADMIN_USER_IDS may change a channel's digest. A failed lookup counts as
 * "not an admin" (and is not cached): refusing is safe, the user can try again.
 */
export function createAdminCheck(deps: Deps, client: webApi.WebClient): AdminCheck {
  const configured = new Set(deps.config.SLACK_ADMIN_USER_IDS);
  const cache = new Map<string, { isAdmin: boolean; at: number }>();
  return async (userId) => {
    if (configured.has(userId)) return true;
    const now = deps.clock.now();
    const cached = cache.get(userId);
    if (cached && now - cached.at < ADMIN_CACHE_MS) return cached.isAdmin;
    try {
      const info = await client.users.info({ user: userId });
      const user = info.user;
      const isAdmin = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
      if (cache.size >= MAX_CACHED_USERS) {
        for (const [id, entry] of cache) if (now - entry.at >= ADMIN_CACHE_MS) cache.delete(id);
      }
      cache.set(userId, { isAdmin, at: now });
      return isAdmin;
    } catch (err) {
      deps.log.warn({ module: 'slack', userId, err }, 'users.info failed; treating the user as not an admin');
      return false;
    }
  };
}
