import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { aPaper } from '../support/builders.ts';
import { backends, storePerTest } from '../support/both-backends.ts';

// backup and close, on both backends. A backup is a SQLite file copy; PostgreSQL refuses it with
// a user error naming pg_dump (the CLI shows it as is).

const dir = mkdtempSync(join(tmpdir(), 'paperboy-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends)('backup and close on $name', (backend) => {
  // Closing it again after each test is part of what is tested: a second close is a no-op.
  const opened = storePerTest(backend);

  it('backs up a consistent copy (SQLite) or refuses and names pg_dump (PostgreSQL)', async () => {
    const store = opened();
    await store.upsertPapers('2026-09-01', [aPaper(), aPaper()], 0);
    const target = join(dir, `${backend.name}.db`);
    if (backend.name === 'sqlite') {
      await store.backup(target);
      const copy = openSqliteStore(target);
      expect(await copy.countRows('papers')).toBe(2);
      await copy.close();
    } else {
      const refused = await store.backup(target).then(() => undefined, (err: unknown) => err);
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as UserError).message).toContain('pg_dump');
    }
  });

  it('closes once however often asked, and refuses work after', async () => {
    const store = opened();
    await store.setMeta('k', 'v', 0);
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await expect(store.getMeta('k')).rejects.toThrow();
  });
});
