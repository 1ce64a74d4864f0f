import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src/store/open-store.ts';

// What the logs say about where the data lives: the file, or the server, database and schema,
// never the password.

describe('describeDatabase', () => {
  it('names the SQLite file', () => {
    expect(describeDatabase({ DATABASE_URL: undefined, DATABASE_PATH: './data/paperboy.db' })).toBe('./data/paperboy.db');
  });

  it('names the server and database without the password', () => {
    expect(describeDatabase({ DATABASE_URL: 'postgres://bot:s3cret@db.internal:5432/paperboy', DATABASE_PATH: '' })).toBe('postgres://db.internal:5432/paperboy');
  });

  it('names the schema the URL sets as search_path', () => {
    const url = 'postgres://bot:s3cret@db:5432/paperboy?options=-c%20search_path%3Dteam_a';
    expect(describeDatabase({ DATABASE_URL: url, DATABASE_PATH: '' })).toBe('postgres://db:5432/paperboy, schema team_a');
    expect(describeDatabase({ DATABASE_URL: 'postgres://db/paperboy?options=--search_path=b', DATABASE_PATH: '' })).toBe('postgres://db/paperboy, schema b');
  });

  it('names the schema the server resolved when it is given', () => {
    expect(describeDatabase({ DATABASE_URL: 'postgres://db/paperboy', DATABASE_PATH: '' }, 'public')).toBe('postgres://db/paperboy, schema public');
  });
});
