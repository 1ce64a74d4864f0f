import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../commands/parse-command-text.ts';

describe('parseCommandText', () => {
  it.each([
    ['search diffusion -survey', { name: 'search', rawOptions: { query: 'diffusion -survey' } }],
    ['search diffusion -survey limit=5', { name: 'search', rawOptions: { query: 'diffusion -survey', limit: '5' } }],
    ['search limit:5 diffusion', { name: 'search', rawOptions: { query: 'diffusion', limit: '5' } }],
    ['search min:5 author:"Jane Doe"', { name: 'search', rawOptions: { query: 'min:5 author:"Jane Doe"' } }],
    ['search "state space" OR mamba since:2026-01-01', { name: 'search', rawOptions: { query: '"state space" OR mamba since:2026-01-01' } }],
    ['search query="diffusion -survey"', { name: 'search', rawOptions: { query: 'diffusion -survey' } }],
    ['search query:"exact phrase" models', { name: 'search', rawOptions: { query: '"exact phrase" models' } }],
    ['/papers search Diffusion', { name: 'search', rawOptions: { query: 'Diffusion' } }],
    ['search “smart quotes” too', { name: 'search', rawOptions: { query: '"smart quotes" too' } }],
    ['digest set time=09:00 tz=Europe/Berlin top=10', { name: 'digest set', rawOptions: { time: '09:00', timezone: 'Europe/Berlin', top: '10' } }],
    ['digest set time:09:00 timezone:Europe/Berlin min:5', { name: 'digest set', rawOptions: { time: '09:00', timezone: 'Europe/Berlin', min_upvotes: '5' } }],
    ['digest set query="llm -survey" post_when_empty', { name: 'digest set', rawOptions: { query: 'llm -survey', post_when_empty: 'true' } }],
    ['DIGEST Show', { name: 'digest show', rawOptions: {} }],
    ['digest preview date=2026-09-01', { name: 'digest preview', rawOptions: { date: '2026-09-01' } }],
    ['today', { name: 'today', rawOptions: {} }],
    ['today new 10', { name: 'today', rawOptions: { sort: 'new', limit: '10' } }],
    ['today limit=3 sort=new', { name: 'today', rawOptions: { limit: '3', sort: 'new' } }],
    ['paper 2410.17243', { name: 'paper', rawOptions: { id: '2410.17243' } }],
    ['paper id:2410.17243', { name: 'paper', rawOptions: { id: '2410.17243' } }],
    ['paper https://arxiv.org/abs/2410.17243', { name: 'paper', rawOptions: { id: 'https://arxiv.org/abs/2410.17243' } }],
    // After a whole id, a bare number is the limit; before one it stays part of the id.
    ['similar 2410.17243 3', { name: 'similar', rawOptions: { id: '2410.17243', limit: '3' } }],
    ['similar hf.co/papers/2410.17243 10', { name: 'similar', rawOptions: { id: 'hf.co/papers/2410.17243', limit: '10' } }],
    ['similar arXiv: 2410.17243', { name: 'similar', rawOptions: { id: 'arXiv: 2410.17243' } }],
    ['similar 2410.17243 3 4', { name: 'similar', rawOptions: { id: '2410.17243 4', limit: '3' } }],
    ['watch author:"Jane Doe" -survey', { name: 'watch', rawOptions: { query: 'author:"Jane Doe" -survey' } }],
    ['unwatch 2', { name: 'unwatch', rawOptions: { watch: '2' } }],
    ['watches', { name: 'watches', rawOptions: {} }],
    ['', { name: 'help', rawOptions: {} }],
    ['   ', { name: 'help', rawOptions: {} }],
  ])('%j', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });

  it('refuses an unknown subcommand, listing the real ones', () => {
    expect(parseCommandText('serch diffusion')).toEqual({
      error: 'Unknown command `serch`. Commands: today, trending, search, paper, similar, saved, watch, watches, unwatch, digest set, digest show, digest off, digest preview, status, help. Try /papers help.',
    });
  });

  it('asks which digest subcommand', () => {
    const parsed = parseCommandText('digest sometimes');
    expect(parsed).toEqual({ error: expect.stringMatching(/^`digest` needs one of: set, show, off, preview\. `sometimes` is not one of them\./) });
    expect(parseCommandText('digest')).toEqual({ error: expect.stringMatching(/^`digest` needs one of: set, show, off, preview\. Example/) });
  });

  it.each([
    ['digest set colour=red', 'Unknown option `colour` for digest set.'],
    ['digest set time=09:00 time=10:00', '`time` is given twice.'],
    ['digest set diffusion', 'Unexpected `diffusion`: write options as key=value and quote values with spaces.'],
    ['today 10 20', 'Unexpected `20`: write options as key=value and quote values with spaces.'],
    ['status please', 'Unexpected `please`: write options as key=value and quote values with spaces.'],
  ])('refuses %j with the usage line', (text, problem) => {
    const parsed = parseCommandText(text);
    expect('error' in parsed && parsed.error.split('\n')[0]).toBe(problem);
    expect('error' in parsed && parsed.error).toMatch(/\nUsage: \/papers /);
  });

  it('never throws on odd input', () => {
    for (const text of ['"', '""', 'search "', 'search =', 'digest set =x', 'today limit=', 'search ' + 'a'.repeat(5000), '\u0000', 'search \t\n x']) {
      expect(() => parseCommandText(text)).not.toThrow();
    }
  });
});

describe('parseCommandText: key=value in free text', () => {
  it.each([
    ['watch limit=3 diffusion', 'Unknown option `limit` for watch (options: artifacts). To use `limit=3` as query text, quote it: "limit=3".'],
    ['search limt=5 diffusion', 'Unknown option `limt` for search (options: limit). To use `limt=5` as query text, quote it: "limt=5".'],
    ['search E=mc2', 'Unknown option `E` for search (options: limit). To use `E=mc2` as query text, quote it: "E=mc2".'],
    ['unwatch sort=new', 'Unknown option `sort` for unwatch (it takes no options besides the watch). To use `sort=new` as query text, quote it: "sort=new".'],
    ['search diffusion min=5', '`min=5` is not an option of search: in the query, write `min:5`.'],
    ['watch author="Jane Doe"', '`author="Jane Doe"` is not an option of watch: in the query, write `author:"Jane Doe"`.'],
  ])('refuses %j with the usage and the options', (text, problem) => {
    const parsed = parseCommandText(text);
    if (!('error' in parsed)) throw new Error(`parsed: ${JSON.stringify(parsed)}`);
    const [first, usage] = parsed.error.split('\n');
    expect(first).toBe(problem);
    expect(usage).toMatch(/^Usage: \/papers (watch|search|unwatch) </);
  });

  it.each([
    ['search "E=mc2" energy', '"E=mc2" energy'],
    ['search https://example.org/?a=b', 'https://example.org/?a=b'],
    ['search title:foo min:5', 'title:foo min:5'],
    ['watch query="limit=3 diffusion"', 'limit=3 diffusion'],
  ])('keeps %j as query text', (text, query) => {
    expect(parseCommandText(text)).toEqual({ name: text.split(' ')[0], rawOptions: { query } });
  });
});

describe('parseCommandText after --', () => {
  it('reads every word after a lone -- as the text, options included', () => {
    expect(parseCommandText('search limit=2 -- limit=3 --limit "a b"')).toEqual({ name: 'search', rawOptions: { limit: '2', query: 'limit=3 --limit "a b"' } });
    expect(parseCommandText('unwatch -- 2')).toEqual({ name: 'unwatch', rawOptions: { watch: '2' } });
    // A command without free text has nothing for it to end.
    expect(parseCommandText('today --')).toHaveProperty('error');
  });
});
