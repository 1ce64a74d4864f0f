import { randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { readPageCursor } from '../row-values.ts';
import { PAGE_CURSOR_MAX_AGE_MS, type PageCursor } from '../store.ts';
import type { PgDb } from './pg-db.ts';
import { pageCursors } from './schema.ts';

// Paging state of list replies, in the database so Next works on any replica. The buttons carry
// only the cursor id and a page number; the options that produced the list live in this row.

export async function savePageCursor(
  db: PgDb,
  cursor: { platform: string; userId: string; command: string; options: Record<string, unknown> },
  now: number,
): Promise<string> {
  // 12 base64url characters, as on SQLite (Discord's custom_id holds 100).
  const id = randomBytes(9).toString('base64url');
  await db.transaction(async (tx) => {
    await tx.delete(pageCursors).where(lt(pageCursors.createdAt, now - PAGE_CURSOR_MAX_AGE_MS));
    await tx
      .insert(pageCursors)
      .values({ id, platform: cursor.platform, userId: cursor.userId, command: cursor.command, options: JSON.stringify(cursor.options), createdAt: now });
  });
  return id;
}

/** The cursor row, or undefined when it never existed or its options no longer parse. */
export async function loadPageCursor(db: PgDb, id: string): Promise<PageCursor | undefined> {
  const [row] = await db.select().from(pageCursors).where(eq(pageCursors.id, id));
  return row && readPageCursor(row);
}
