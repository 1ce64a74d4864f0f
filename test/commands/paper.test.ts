import { describe, expect, it } from 'vitest';
import { autocomplete } from '../../commands/dispatch.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { aPaper } from '../support/builders.ts';
import { alice, commandDeps, general, run, seed } from './harness.ts';

describe('/papers paper', () => {
  async function withPaper() {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [
      aPaper({ arxivId: '2410.17243', title: 'Unbounded GPU memory', abstract: 'First sentence. Second sentence. Third sentence.', upvotes: 12 }),
    ]);
    return deps;
  }

  it('shows the full card with the abstract for a bare id', async () => {
    const reply = await run(await withPaper(), 'paper', { id: '2410.17243' });
    expect(reply).toMatchObject({ kind: 'paper', visibility: 'public', title: 'Unbounded GPU memory', titleUrl: 'https://huggingface.co/papers/2410.17243' });
    expect(reply.papers).toHaveLength(1);
    expect(reply.papers[0]).toMatchObject({
      id: '2410.17243',
      abstract: 'First sentence. Second sentence. Third sentence.',
      upvotes: 12,
      arxivUrl: 'https://arxiv.org/abs/2410.17243',
      pdfUrl: 'https://arxiv.org/pdf/2410.17243',
    });
  });

  it.each([
    'https://huggingface.co/papers/2410.17243',
    'https://arxiv.org/abs/2410.17243v2',
    'https://arxiv.org/pdf/2410.17243.pdf',
    '2410.17243v3',
    'arxiv.org/abs/2410.17243v3',
    'hf.co/papers/2410.17243',
    '<https://hf.co/papers/2410.17243|hf.co/papers/2410.17243>',
    'https://arxiv.org/abs/2410.17243.',
    'https://arxiv.org/abs/2410.17243),',
    '(2410.17243)',
    "'2410.17243'",
    'HTTPS://ARXIV.ORG/ABS/2410.17243',
  ])(
    'accepts %s',
    async (input) => {
      const reply = await run(await withPaper(), 'paper', { id: input });
      expect(reply.papers[0]?.id).toBe('2410.17243');
    },
  );

  it.each(['/papers paper "2410.17243"', '/papers paper “https://arxiv.org/abs/2410.17243”', '/papers paper id="2410.17243v2"'])(
    'accepts a quoted value in command text: %s',
    async (text) => {
      const parsed = parseCommandText(text);
      if ('error' in parsed) throw new Error(parsed.error);
      const reply = await run(await withPaper(), parsed.name, parsed.rawOptions);
      expect(reply.papers[0]?.id).toBe('2410.17243');
    },
  );

  it('says clearly when a valid id is not stored and Hugging Face cannot be reached', async () => {
    const reply = await run(await withPaper(), 'paper', { id: '2401.00001' });
    expect(reply).toMatchObject({ kind: 'error', visibility: 'private' });
    expect(reply.text).toBe('I could not reach Hugging Face to look up 2401.00001. Please try again in a minute.');
  });

  it('logs a lookup as part of the command: the HTTP layer is `via`, never a second `module` key', async () => {
    const deps = await withPaper();
    await run(deps, 'paper', { id: '2401.00001' });
    const http = deps.logLines().filter((line) => line.via === 'http');
    expect(http.length).toBeGreaterThan(0);
    for (const line of http) expect(line).toMatchObject({ module: 'commands', command: 'paper', source: 'hf' });
    const lookup = deps.logLines().find((line) => line.msg === 'Hugging Face did not answer a paper lookup');
    expect(lookup).toMatchObject({ module: 'commands', command: 'paper', arxivId: '2401.00001' });
  });

  it('explains the accepted forms for an invalid id', async () => {
    const reply = await run(await withPaper(), 'paper', { id: 'attention is all you need' });
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(/is not an arXiv id/);
    expect(reply.text).toMatch(/2410\.17243.*astro-ph\/0601001.*huggingface\.co\/papers/);
  });

  it('names a host that is not arxiv.org or huggingface.co', async () => {
    const reply = await run(await withPaper(), 'paper', { id: 'https://arxiv.org.evil.com/abs/2410.17243' });
    expect(reply.kind).toBe('error');
    expect(reply.text).toMatch(/^`arxiv\.org\.evil\.com` is not arxiv\.org or huggingface\.co\./);
    // arXiv's host with credentials in front: said as such, never "arxiv.org is not arxiv.org".
    const credentials = await run(await withPaper(), 'paper', { id: 'https://user:pw@arxiv.org/abs/2410.17243' });
    expect(credentials.text).toMatch(/^That link carries a user name or password/);
  });

  it('finds the paper inside chat markup, and quotes refused input without breaking its code span', async () => {
    expect((await run(await withPaper(), 'paper', { id: '`2410.17243`' })).papers.map((p) => p.id)).toEqual(['2410.17243']);
    const refused = await run(await withPaper(), 'paper', { id: '`not an id`' });
    expect(refused.text).toMatch(/^`'not an id'` is not an arXiv id/);
  });

  it('does not echo control characters from the input', async () => {
    const reply = await run(await withPaper(), 'paper', { id: 'x\u202Eevil\u0007' });
    expect(reply.text).toMatch(/^`xevil` is not an arXiv id/);
  });

  it('autocompletes recent ids and titles', async () => {
    const deps = await withPaper();
    await seed(deps, '2026-09-01', [aPaper({ arxivId: '2409.00001', title: 'Diffusion for everything' })]);
    const all = await autocomplete(deps, { name: 'paper', option: 'id', partial: '', user: alice, channel: general });
    expect(all.map((c) => c.value).sort()).toEqual(['2409.00001', '2410.17243']);
    const byTitle = await autocomplete(deps, { name: 'paper', option: 'id', partial: 'diffu', user: alice, channel: general });
    expect(byTitle).toEqual([{ name: '2409.00001 · Diffusion for everything', value: '2409.00001' }]);
    const byId = await autocomplete(deps, { name: 'paper', option: 'id', partial: '2410', user: alice, channel: general });
    expect(byId.map((c) => c.value)).toEqual(['2410.17243']);
  });

  it('clips autocomplete names to 100 characters', async () => {
    const deps = commandDeps();
    await seed(deps, '2026-09-01', [aPaper({ arxivId: '2409.00002', title: 'A'.repeat(300) })]);
    const [choice] = await autocomplete(deps, { name: 'paper', option: 'id', partial: '', user: alice, channel: general });
    expect(choice?.name.length).toBe(100);
  });
});
