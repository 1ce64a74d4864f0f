import { and, asc, count, eq, gt, lte } from 'drizzle-orm';
import type { CommandSlot } from '../store.ts';
import type { Db } from './open-db.ts';
import { commandHits } from './schema.ts';

// The per-user command budget's hits (commands/rate-limiter.ts holds the rule and the wording).
// Taking a slot only inserts; old hits go in pruneCommandHits alone, so the two never lock the
// same rows in different orders.

export function takeCommandSlot(db: Db, userKey: string, now: number, window: { limit: number; windowMs: number }): CommandSlot {
  const since = now - window.windowMs;
  return db.transaction(
    (tx) => {
      const inWindow = and(eq(commandHits.userKey, userKey), gt(commandHits.at, since));
      const taken = tx.select({ n: count() }).from(commandHits).where(inWindow).get()?.n ?? 0;
      if (taken >= window.limit) {
        const oldest = tx.select({ at: commandHits.at }).from(commandHits).where(inWindow).orderBy(asc(commandHits.at)).limit(1).get();
        return { taken: false, oldestAt: oldest?.at ?? now };
      }
      tx.insert(commandHits).values({ userKey, at: now }).run();
      return { taken: true };
    },
    // Immediate: two processes on one file cannot both take the last slot.
    { behavior: 'immediate' },
  );
}

export function pruneCommandHits(db: Db, before: number): number {
  return db.delete(commandHits).where(lte(commandHits.at, before)).run().changes;
}
