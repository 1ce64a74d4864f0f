import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { commandDeps, general, run } from './harness.ts';

// Slack and console text: escaped quotes inside a quoted value, and the curly quotes phones and
// Slack's editor type, read as the quotes they stand for.

function parsed(text: string) {
  const result = parseCommandText(text);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('quotes in /papers text', () => {
  it.each([
    ['digest set min_upvotes=5 query="diffusion OR \\"flow matching\\" -survey"', { name: 'digest set', rawOptions: { min_upvotes: '5', query: 'diffusion OR "flow matching" -survey' } }],
    ['digest set query="a\\"b"', { name: 'digest set', rawOptions: { query: 'a"b' } }],
    ['search query="say \\"hi\\" there" limit=3', { name: 'search', rawOptions: { query: 'say "hi" there', limit: '3' } }],
    ['search \\"flow matching\\" diffusion', { name: 'search', rawOptions: { query: '"flow matching" diffusion' } }],
    ['digest set query=“diffusion -survey” top=3', { name: 'digest set', rawOptions: { query: 'diffusion -survey', top: '3' } }],
    ['digest set query=‘llm -survey’ top=3', { name: 'digest set', rawOptions: { query: 'llm -survey', top: '3' } }],
    ['watch author:“Jane Doe” ‘flow matching’', { name: 'watch', rawOptions: { query: 'author:"Jane Doe" "flow matching"' } }],
    ['search don’t stop', { name: 'search', rawOptions: { query: 'don’t stop' } }],
    ['search ‘don’t stop’ believing', { name: 'search', rawOptions: { query: '"don’t stop" believing' } }],
  ])('%s', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });

  it("stores the README's digest example with the inner phrase intact", async () => {
    const deps = commandDeps();
    const command = parsed('/papers digest set min_upvotes=5 query="diffusion OR \\"flow matching\\" -survey"');
    const reply = await run(deps, command.name, command.rawOptions, { isAdmin: true });
    expect(reply.kind).toBe('text');
    const row = deps.db.$client.prepare('SELECT query, min_upvotes FROM channel_digests WHERE channel_id = ?').get(general.id);
    expect(row).toEqual({ query: 'diffusion OR "flow matching" -survey', min_upvotes: 5 });
  });
});
