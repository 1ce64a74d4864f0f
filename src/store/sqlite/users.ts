import { and, eq, isNotNull } from 'drizzle-orm';
import type { UserRef } from '../store.ts';
import type { Db } from './open-db.ts';
import { users } from './schema.ts';

// A user whose DMs are closed gets no alerts (their watches stay) until their next command clears
// the mark; that command's reply also carries a one-time notice telling them why alerts stopped.

/** The platform refused a DM: stop alerting this user and owe them a notice. */
export function markDmClosed(db: Db, user: UserRef, now: number): void {
  db.insert(users)
    .values({ platform: user.platform, userId: user.id, dmClosedAt: now, dmClosedNoticeOwed: true })
    .onConflictDoUpdate({ target: [users.platform, users.userId], set: { dmClosedAt: now, dmClosedNoticeOwed: true } })
    .run();
}

/**
 * True exactly once after `markDmClosed` (the notice is consumed atomically, so two racing
 * commands tell the user once). Taking the notice also clears the mark: the user has been told,
 * so the next alert tries their DMs again (and marks them again if still closed).
 */
export function takeDmClosedNotice(db: Db, user: UserRef): boolean {
  const taken = db
    .update(users)
    .set({ dmClosedNoticeOwed: false, dmClosedAt: null })
    .where(and(eq(users.platform, user.platform), eq(users.userId, user.id), eq(users.dmClosedNoticeOwed, true)))
    .returning({ userId: users.userId })
    .all();
  return taken.length > 0;
}

/** The user is active again (ran a command): alerts resume; a still-closed DM marks them again. */
export function clearDmClosed(db: Db, user: UserRef): void {
  db.update(users)
    .set({ dmClosedAt: null })
    .where(and(eq(users.platform, user.platform), eq(users.userId, user.id), isNotNull(users.dmClosedAt)))
    .run();
}

export function isDmClosed(db: Db, user: UserRef): boolean {
  const row = db
    .select({ at: users.dmClosedAt })
    .from(users)
    .where(and(eq(users.platform, user.platform), eq(users.userId, user.id)))
    .get();
  return row?.at != null;
}

/** Ids of the users of `platform` whose DMs are closed (one query for a whole alert run). */
export function listDmClosedUsers(db: Db, platform: string): Set<string> {
  const rows = db
    .select({ userId: users.userId })
    .from(users)
    .where(and(eq(users.platform, platform), isNotNull(users.dmClosedAt)))
    .all();
  return new Set(rows.map((row) => row.userId));
}
