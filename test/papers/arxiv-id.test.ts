import { describe, expect, it } from 'vitest';
import { parseArxivId, readArxivId } from '../../src/papers/arxiv-id.ts';

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
    // What people paste: no scheme, short hosts, Slack's <…> wrapping, stray slashes and spaces.
    ['arxiv.org/abs/2611.12332v3', '2611.12332'],
    ['hf.co/papers/2611.12332', '2611.12332'],
    ['https://hf.co/papers/2611.12332', '2611.12332'],
    ['huggingface.co/papers/2611.12332', '2611.12332'],
    ['www.huggingface.co/papers/2611.12332/', '2611.12332'],
    ['www.arxiv.org/abs/2611.12332', '2611.12332'],
    ['export.arxiv.org/abs/2611.12332v1', '2611.12332'],
    ['HTTPS://ArXiv.org/abs/2611.12332', '2611.12332'],
    ['arxiv.org/pdf/2611.12332', '2611.12332'],
    ['arxiv.org/pdf/2611.12332v2.pdf', '2611.12332'],
    ['arxiv.org/pdf/astro-ph/0601001v2.pdf', 'astro-ph/0601001'],
    ['arxiv.org/abs/astro-ph/0601001/', 'astro-ph/0601001'],
    ['https://arxiv.org/html/2611.12332v1', '2611.12332'],
    ['https://arxiv.org/abs/2611.12332/?utm_source=x#section', '2611.12332'],
    ['arxiv.org/abs/2611.12332?context=cs.LG', '2611.12332'],
    ['<https://arxiv.org/abs/2611.12332>', '2611.12332'],
    ['<https://hf.co/papers/2611.12332|hf.co/papers/2611.12332>', '2611.12332'],
    ['  <arxiv.org/abs/2611.12332v3>\n', '2611.12332'],
    ['\t2611.12332v3 ', '2611.12332'],
    // Pasted from prose: sentence punctuation, brackets and quotes around it, shouted URLs.
    ['https://arxiv.org/abs/2410.17243.', '2410.17243'],
    ['https://arxiv.org/abs/2410.17243),', '2410.17243'],
    ['arxiv.org/abs/2410.17243v3,', '2410.17243'],
    ['https://arxiv.org/abs/2410.17243!', '2410.17243'],
    ['2410.17243.', '2410.17243'],
    ['(2410.17243)', '2410.17243'],
    ["'2410.17243'", '2410.17243'],
    ['"2410.17243"', '2410.17243'],
    ['“2410.17243”', '2410.17243'],
    ['[arXiv:2410.17243v2];', '2410.17243'],
    ['(<https://arxiv.org/abs/2410.17243>).', '2410.17243'],
    ['"hep-th/9901001".', 'hep-th/9901001'],
    ['HTTPS://ARXIV.ORG/ABS/2410.17243', '2410.17243'],
    ['HTTPS://HUGGINGFACE.CO/PAPERS/2410.17243', '2410.17243'],
    ['ARXIV.ORG/PDF/2410.17243v2.PDF', '2410.17243'],
    // Chat markup around it (code, emphasis, strikethrough), an ellipsis or a slash after it.
    ['`2410.17243`', '2410.17243'],
    ['``arxiv.org/abs/2410.17243``', '2410.17243'],
    ['*2410.17243*', '2410.17243'],
    ['**2410.17243v2**', '2410.17243'],
    ['_2410.17243_', '2410.17243'],
    ['~~hep-th/9901001~~', 'hep-th/9901001'],
    ['2410.17243…', '2410.17243'],
    ['2410.17243/', '2410.17243'],
    ['`https://huggingface.co/papers/2410.17243`.', '2410.17243'],
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
    ['arxiv.org.evil.com/abs/2410.17243', 'look-alike host'],
    ['https://arxiv.org@evil.com/abs/2410.17243', 'user info pointing elsewhere'],
    ['ftp://arxiv.org/abs/2410.17243', 'not http'],
    ['arxiv.org/list/cs.LG/2410.17243', 'not a paper path'],
    ['huggingface.co/papers/2410.17243/extra', 'extra path segment'],
    ['https://arxiv.org:8443/abs/2410.17243', 'odd port'],
    ['<https://arxiv.org/abs/2410.17243', 'unbalanced bracket'],
    ['2410.17243; DROP TABLE papers', 'trailing text'],
    [`2410.17243${' '.repeat(10_000)}x`, '10k characters'],
    ['2'.repeat(10_000), '10k digits'],
    ['HEP-TH/9901001', 'old-style archive in capitals'],
    ['HEP-th/9901001', 'old-style archive in mixed case'],
    ['https://arxiv.org.evil.com/abs/2410.17243.', 'look-alike host with a trailing dot'],
    ['(arxiv.org@evil.com/abs/2410.17243)', 'user info in brackets'],
    ['2410.17243.1', 'more digits after a dot'],
    ['2410..17243', 'doubled dot'],
    ['2410.17243v0', 'version 0 (versions start at 1)'],
    ['astro-ph/0601001v0', 'old style, version 0'],
    ['2410.17243v02', 'version with a leading zero'],
  ])('rejects %j (%s)', (input) => {
    expect(parseArxivId(input)).toBeNull();
  });
});

describe('readArxivId', () => {
  it('says why an input is refused', () => {
    expect(readArxivId('arxiv.org.evil.com/abs/2410.17243')).toEqual({ ok: false, reason: 'other_host', host: 'arxiv.org.evil.com' });
    expect(readArxivId('https://arxiv.org@evil.com/abs/2410.17243')).toEqual({ ok: false, reason: 'other_host', host: 'evil.com' });
    expect(readArxivId(`arxiv.org/abs/${'9'.repeat(5000)}`)).toEqual({ ok: false, reason: 'too_long' });
    expect(readArxivId('attention is all you need')).toEqual({ ok: false, reason: 'not_an_id' });
    expect(readArxivId('abc')).toEqual({ ok: false, reason: 'not_an_id' });
    expect(readArxivId('arxiv.org/list/cs.LG')).toEqual({ ok: false, reason: 'not_an_id' });
    expect(readArxivId('hf.co/papers/2611.12332')).toEqual({ ok: true, id: '2611.12332' });
    // Punctuation pasted around a link does not hide its host.
    expect(readArxivId('(https://arxiv.org.evil.com/abs/2410.17243).')).toEqual({ ok: false, reason: 'other_host', host: 'arxiv.org.evil.com' });
    expect(readArxivId('"https://arxiv.org@evil.com/abs/2410.17243",')).toEqual({ ok: false, reason: 'other_host', host: 'evil.com' });
    // Credentials on arXiv's own host: not an "other host", a link nobody copies from arXiv.
    expect(readArxivId('https://user:pw@arxiv.org/abs/2410.17243')).toEqual({ ok: false, reason: 'credentials' });
  });
});
