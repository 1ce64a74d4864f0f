import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// drizzle's migrator applies a migration only when its `when` is later than the last one applied:
// a journal whose times go back would make an install that is one step behind skip a migration.
// Branches that each added a migration are merged by renumbering; this keeps the result sound.

const Journal = z.object({ entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string() })) });

describe.each(['sqlite', 'postgres'])('the %s migration journal', (dialect) => {
  const folder = new URL(`../../migrations/${dialect}/`, import.meta.url);
  const journal = Journal.parse(JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')));

  it('numbers its migrations 0, 1, 2, … with times that only go forward', () => {
    expect(journal.entries.map((entry) => entry.idx)).toEqual(journal.entries.map((_, i) => i));
    for (let i = 1; i < journal.entries.length; i += 1) expect(journal.entries[i]?.when).toBeGreaterThan(journal.entries[i - 1]?.when ?? Infinity);
  });

  it('has exactly one SQL file per entry, named by its tag', () => {
    const files = readdirSync(folder).filter((name) => name.endsWith('.sql')).sort();
    expect(files).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`));
    for (const entry of journal.entries) expect(entry.tag.startsWith(String(entry.idx).padStart(4, '0'))).toBe(true);
  });
});
