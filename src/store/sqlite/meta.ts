import { eq } from 'drizzle-orm';
import type { Db } from './open-db.ts';
import { meta } from './schema.ts';

type DbOrTx = Pick<Db, 'select' | 'insert'>;

/** Small key/value facts (registered command hash, watermarks). */
export function getMeta(db: DbOrTx, key: string): string | null {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value ?? null;
}

export function setMeta(db: DbOrTx, key: string, value: string, now: number): void {
  db.insert(meta).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: meta.key, set: { value, updatedAt: now } }).run();
}
