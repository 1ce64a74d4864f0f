import { randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import { readPageCursor } from '../row-values.ts';
import { PAGE_CURSOR_MAX_AGE_MS, type PageCursor } from '../store.ts';
import type { Db } from './open-db.ts';
import { pageCursors } from './schema.ts';

// Paging state of list replies. The buttons carry only the cursor id and a page number, so a
// page can be turned after a restart; the options that produced the list live in this row.

export function savePageCursor(
  db: Db,
  cursor: { platform: string; userId: string; command: string; options: Record<string, unknown> },
  now: number,
): string {
  // 12 base64url characters: unguessable enough that a cursor cannot be turned by accident,
  // short enough for Discord's 100-character custom_id.
  const id = randomBytes(9).toString('base64url');
  db.transaction((tx) => {
    tx.delete(pageCursors).where(lt(pageCursors.createdAt, now - PAGE_CURSOR_MAX_AGE_MS)).run();
    tx.insert(pageCursors)
      .values({ id, platform: cursor.platform, userId: cursor.userId, command: cursor.command, options: JSON.stringify(cursor.options), createdAt: now })
      .run();
  });
  return id;
}

/** The cursor row, or undefined when it never existed or its options no longer parse. */
export function loadPageCursor(db: Db, id: string): PageCursor | undefined {
  const row = db.select().from(pageCursors).where(eq(pageCursors.id, id)).get();
  return row && readPageCursor(row);
}
