import { and, eq, isNotNull } from 'drizzle-orm';
import type { UserRef } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { users } from './schema.ts';

// As on SQLite (../sqlite/users.ts): a user whose DMs are closed gets no alerts until their next
// command clears the mark; that command's reply carries a one-time notice.

const ofUser = (user: UserRef) => and(eq(users.platform, user.platform), eq(users.userId, user.id));

/** The platform refused a DM: stop alerting this user and owe them a notice. */
export async function markDmClosed(db: PgDb, user: UserRef, now: number): Promise<void> {
  await db
    .insert(users)
    .values({ platform: user.platform, userId: user.id, dmClosedAt: now, dmClosedNoticeOwed: true })
    .onConflictDoUpdate({ target: [users.platform, users.userId], set: { dmClosedAt: now, dmClosedNoticeOwed: true } });
}

/**
 * True exactly once after `markDmClosed`: one UPDATE … WHERE owed, so of two racing commands
 * (on two replicas) the second waits for the first's row lock, re-checks and matches nothing.
 * Taking the notice also clears the mark.
 */
export async function takeDmClosedNotice(db: PgDb, user: UserRef): Promise<boolean> {
  const taken = await db
    .update(users)
    .set({ dmClosedNoticeOwed: false, dmClosedAt: null })
    .where(and(ofUser(user), eq(users.dmClosedNoticeOwed, true)))
    .returning({ userId: users.userId });
  return taken.length > 0;
}

/** The user is active again (ran a command): alerts resume; a still-closed DM marks them again. */
export async function clearDmClosed(db: PgDb, user: UserRef): Promise<void> {
  await db.update(users).set({ dmClosedAt: null }).where(and(ofUser(user), isNotNull(users.dmClosedAt)));
}

export async function isDmClosed(db: PgDb, user: UserRef): Promise<boolean> {
  const [row] = await db.select({ at: users.dmClosedAt }).from(users).where(ofUser(user));
  return row?.at != null;
}

/** Ids of the users of `platform` whose DMs are closed (one query for a whole alert run). */
export async function listDmClosedUsers(db: PgDb, platform: string): Promise<Set<string>> {
  const rows = await db.select({ userId: users.userId }).from(users).where(and(eq(users.platform, platform), isNotNull(users.dmClosedAt)));
  return new Set(rows.map((row) => row.userId));
}
