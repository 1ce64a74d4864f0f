import { eq } from 'drizzle-orm';
import type { PgDb } from './pg-db.ts';
import type { PgTx } from './papers.ts';
import { pgText } from './pg-text.ts';
import { meta } from './schema.ts';

type DbOrTx = PgDb | PgTx;

/** Small key/value facts (registered command hash, watermarks). */
export async function getMeta(db: DbOrTx, key: string): Promise<string | null> {
  const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, key));
  return row?.value ?? null;
}

export async function setMeta(db: DbOrTx, key: string, value: string, now: number): Promise<void> {
  const text = pgText(value);
  await db.insert(meta).values({ key, value: text, updatedAt: now }).onConflictDoUpdate({ target: meta.key, set: { value: text, updatedAt: now } });
}
