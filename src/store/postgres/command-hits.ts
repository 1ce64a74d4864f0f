import { and, asc, count, eq, gt, lte, sql } from 'drizzle-orm';
import type { CommandSlot } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { commandHits } from './schema.ts';

// The per-user command budget's hits (commands/rate-limiter.ts holds the rule and the wording).
// Taking a slot only inserts; old hits go in pruneCommandHits alone, so the two never lock the
// same rows in different orders.

/** First key of the per-user command budget lock; the second is a hash of the user key. */
const COMMAND_BUDGET_LOCK_KEY = 0x7062726c; // 'pbrl'

export async function takeCommandSlot(db: PgDb, userKey: string, now: number, window: { limit: number; windowMs: number }): Promise<CommandSlot> {
  const since = now - window.windowMs;
  return db.transaction(async (tx) => {
    // Serialises count + insert per user: two replicas answering one user's two quick commands
    // would otherwise both count the same rows and both take the last slot.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${COMMAND_BUDGET_LOCK_KEY}, hashtext(${userKey}))`);
    const inWindow = and(eq(commandHits.userKey, userKey), gt(commandHits.at, since));
    const [row] = await tx.select({ n: count() }).from(commandHits).where(inWindow);
    if ((row?.n ?? 0) >= window.limit) {
      const [oldest] = await tx.select({ at: commandHits.at }).from(commandHits).where(inWindow).orderBy(asc(commandHits.at)).limit(1);
      return { taken: false, oldestAt: oldest?.at ?? now };
    }
    await tx.insert(commandHits).values({ userKey, at: now });
    return { taken: true };
  });
}

export async function pruneCommandHits(db: PgDb, before: number): Promise<number> {
  const deleted = await db.delete(commandHits).where(lte(commandHits.at, before)).returning({ at: commandHits.at });
  return deleted.length;
}
