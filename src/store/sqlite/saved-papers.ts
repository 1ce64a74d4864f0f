import { and, count, desc, eq, getTableColumns } from 'drizzle-orm';
import type { PaperRow, UserRef } from '../store.ts';
import type { Db } from './open-db.ts';
import { papers, savedPapers } from './schema.ts';

// A user's reading list. The primary key (user, paper) makes a second Save a no-op.

/** True when the paper was not saved yet. */
export function savePaper(db: Db, user: UserRef, paperId: number, now: number): boolean {
  const result = db
    .insert(savedPapers)
    .values({ platform: user.platform, userId: user.id, paperId, savedAt: now })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}

/** True when the paper was on the list. */
export function unsavePaper(db: Db, user: UserRef, paperId: number): boolean {
  const result = db
    .delete(savedPapers)
    .where(and(eq(savedPapers.platform, user.platform), eq(savedPapers.userId, user.id), eq(savedPapers.paperId, paperId)))
    .run();
  return result.changes > 0;
}

/** Newest saved first. */
export function listSavedPapers(db: Db, user: UserRef, options: { limit: number; offset: number }): { total: number; papers: PaperRow[] } {
  return db.transaction((tx) => {
    const mine = and(eq(savedPapers.platform, user.platform), eq(savedPapers.userId, user.id));
    const total = tx.select({ n: count() }).from(savedPapers).where(mine).get()?.n ?? 0;
    const rows = tx
      .select(getTableColumns(papers))
      .from(savedPapers)
      .innerJoin(papers, eq(papers.id, savedPapers.paperId))
      .where(mine)
      .orderBy(desc(savedPapers.savedAt), desc(savedPapers.paperId))
      .limit(options.limit)
      .offset(options.offset)
      .all();
    return { total, papers: rows };
  });
}
