import { describe, expect, it } from 'vitest';
import { parseArxivId } from '../../src/feed/arxiv-id.ts';

describe('parseArxivId', () => {
  it.each([
    ['2410.17243', '2410.17243'],
    ['2410.17243v3', '2410.17243'],
    ['  2410.17243  ', '2410.17243'],
    ['arXiv:2410.17243v1', '2410.17243'],
    ['1605.08386', '1605.08386'],
    ['0704.0001', '0704.0001'],
    ['1412.6980', '1412.6980'],
    ['astro-ph/0601001', 'astro-ph/0601001'],
    ['astro-ph/0601001v2', 'astro-ph/0601001'],
    ['math.GT/0309136', 'math.GT/0309136'],
    ['hep-th/9901001', 'hep-th/9901001'],
    ['https://arxiv.org/abs/2410.17243v2', '2410.17243'],
    ['http://arxiv.org/abs/astro-ph/0601001', 'astro-ph/0601001'],
    ['https://arxiv.org/pdf/2410.17243.pdf', '2410.17243'],
    ['https://arxiv.org/pdf/2410.17243v2', '2410.17243'],
    ['https://export.arxiv.org/abs/1605.08386?context=cs', '1605.08386'],
    ['https://huggingface.co/papers/2410.17243', '2410.17243'],
    ['https://huggingface.co/papers/2410.17243#community', '2410.17243'],
  ])('accepts %s → %s', (input, expected) => {
    expect(parseArxivId(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not an id'],
    ['2410.1', 'too few digits'],
    ['99999.99999', 'no such month'],
    ['2413.12345', 'month 13'],
    ['2410.1234', 'four digits after 2014'],
    ['1412.69801', 'five digits before 2015'],
    ['0612.0001', 'new style before April 2007'],
    ['astro-ph/1001001', 'old style after 2007'],
    ['javascript:alert(1)//2410.17243', 'script URL'],
    ['https://evil.example/abs/2410.17243', 'other host'],
    ['2410.17243; DROP TABLE papers', 'trailing text'],
    [`2410.17243${' '.repeat(10_000)}x`, '10k characters'],
    ['2'.repeat(10_000), '10k digits'],
  ])('rejects %j (%s)', (input) => {
    expect(parseArxivId(input)).toBeNull();
  });
});
