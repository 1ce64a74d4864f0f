import { describe, expect, it } from 'vitest';
import { createTestStore } from '../support/test-db.ts';

const ada = { platform: 'slack', id: 'U-ada' };

describe('DM-closed state', () => {
  it('marks a user, owes one notice, and clears', async () => {
    const store = createTestStore();
    expect(await store.isDmClosed(ada)).toBe(false);
    expect(await store.takeDmClosedNotice(ada)).toBe(false);
    await store.markDmClosed(ada, 1_000);
    expect(await store.isDmClosed(ada)).toBe(true);
    expect(await store.listDmClosedUsers('slack')).toEqual(new Set(['U-ada']));
    expect(await store.listDmClosedUsers('discord')).toEqual(new Set());
    expect(await store.takeDmClosedNotice(ada)).toBe(true);
    expect(await store.takeDmClosedNotice(ada)).toBe(false);
    // The user has been told: the next alert tries their DMs again.
    expect(await store.isDmClosed(ada)).toBe(false);
  });

  it('clearDmClosed resumes alerts but keeps a notice still owed', async () => {
    const store = createTestStore();
    await store.markDmClosed(ada, 1_000);
    await store.clearDmClosed(ada);
    expect(await store.isDmClosed(ada)).toBe(false);
    expect(await store.takeDmClosedNotice(ada)).toBe(true);
  });

  it('a second refusal marks the user again', async () => {
    const store = createTestStore();
    await store.markDmClosed(ada, 1_000);
    await store.takeDmClosedNotice(ada);
    await store.markDmClosed(ada, 2_000);
    expect(await store.isDmClosed(ada)).toBe(true);
    expect(await store.takeDmClosedNotice(ada)).toBe(true);
  });
});
