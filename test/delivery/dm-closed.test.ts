import { describe, expect, it } from 'vitest';
import { clearDmClosed, isDmClosed, listDmClosedUsers, markDmClosed, takeDmClosedNotice } from '../../src/store/sqlite/users.ts';
import { createTestDb } from '../support/test-db.ts';

const ada = { platform: 'slack', id: 'U-ada' };

describe('DM-closed state', () => {
  it('marks a user, owes one notice, and clears', () => {
    const db = createTestDb();
    expect(isDmClosed(db, ada)).toBe(false);
    expect(takeDmClosedNotice(db, ada)).toBe(false);
    markDmClosed(db, ada, 1_000);
    expect(isDmClosed(db, ada)).toBe(true);
    expect(listDmClosedUsers(db, 'slack')).toEqual(new Set(['U-ada']));
    expect(listDmClosedUsers(db, 'discord')).toEqual(new Set());
    expect(takeDmClosedNotice(db, ada)).toBe(true);
    expect(takeDmClosedNotice(db, ada)).toBe(false);
    // The user has been told: the next alert tries their DMs again.
    expect(isDmClosed(db, ada)).toBe(false);
  });

  it('clearDmClosed resumes alerts but keeps a notice still owed', () => {
    const db = createTestDb();
    markDmClosed(db, ada, 1_000);
    clearDmClosed(db, ada);
    expect(isDmClosed(db, ada)).toBe(false);
    expect(takeDmClosedNotice(db, ada)).toBe(true);
  });

  it('a second refusal marks the user again', () => {
    const db = createTestDb();
    markDmClosed(db, ada, 1_000);
    takeDmClosedNotice(db, ada);
    markDmClosed(db, ada, 2_000);
    expect(isDmClosed(db, ada)).toBe(true);
    expect(takeDmClosedNotice(db, ada)).toBe(true);
  });
});
