import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { commandDeps, run } from './harness.ts';

// `--limit` searched for as text reads as excluding "limit": the reply says so and how to search
// for the text (quoted), never an example like `video --limit` that keeps it an exclusion.

describe('search for a word typed with two dashes', () => {
  it('explains the exclusion and offers the text quoted, in chat and for watch', async () => {
    const deps = commandDeps();
    const parsed = parseCommandText('search -- --limit');
    if ('error' in parsed) throw new Error(parsed.error);
    const search = await run(deps, parsed.name, parsed.rawOptions);
    expect(search).toMatchObject({
      kind: 'error',
      text: '`--limit` reads as leaving out limit (a leading - excludes a word), which leaves nothing to search for. To search for the text itself, quote it: "--limit".',
    });
    const watch = await run(deps, 'watch', { query: '--limit -survey' });
    expect(watch.text).toBe('`--limit` reads as leaving out limit (a leading - excludes a word), which leaves nothing to watch for. To watch for the text itself, quote it: "--limit".');
    const quoted = await run(deps, 'search', { query: '"--limit"' });
    expect(quoted.kind).not.toBe('error');
  });
});
