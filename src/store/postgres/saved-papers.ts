import { and, count, desc, eq, getTableColumns } from 'drizzle-orm';
import type { PaperRow, UserRef } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { papers, savedPapers } from './schema.ts';

// A user's reading list. The primary key (user, paper) makes a second Save a no-op.

const { searchVector: _searchVector, ...paperColumns } = getTableColumns(papers);

/** True when the paper was not saved yet. */
export async function savePaper(db: PgDb, user: UserRef, paperId: number, now: number): Promise<boolean> {
  const rows = await db
    .insert(savedPapers)
    .values({ platform: user.platform, userId: user.id, paperId, savedAt: now })
    .onConflictDoNothing()
    .returning({ paperId: savedPapers.paperId });
  return rows.length > 0;
}

/** True when the paper was on the list. */
export async function unsavePaper(db: PgDb, user: UserRef, paperId: number): Promise<boolean> {
  const rows = await db
    .delete(savedPapers)
    .where(and(eq(savedPapers.platform, user.platform), eq(savedPapers.userId, user.id), eq(savedPapers.paperId, paperId)))
    .returning({ paperId: savedPapers.paperId });
  return rows.length > 0;
}

/** Newest saved first. */
export async function listSavedPapers(db: PgDb, user: UserRef, options: { limit: number; offset: number }): Promise<{ total: number; papers: PaperRow[] }> {
  return db.transaction(async (tx) => {
    const mine = and(eq(savedPapers.platform, user.platform), eq(savedPapers.userId, user.id));
    const [counted] = await tx.select({ n: count() }).from(savedPapers).where(mine);
    const rows = await tx
      .select(paperColumns)
      .from(savedPapers)
      .innerJoin(papers, eq(papers.id, savedPapers.paperId))
      .where(mine)
      .orderBy(desc(savedPapers.savedAt), desc(savedPapers.paperId))
      .limit(options.limit)
      .offset(options.offset);
    return { total: counted?.n ?? 0, papers: rows };
  });
}
