import { describe, expect, it } from 'vitest';
import { absoluteHfUrl, cleanText, cleanTitle, firstSentences } from '../../src/papers/clean-text.ts';

describe('cleanTitle', () => {
  it('unwraps arXiv line folding into one line', () => {
    expect(cleanTitle('Breaking the Memory Barrier: Near Infinite Batch Size Scaling for\n  Contrastive Loss')).toBe(
      'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss',
    );
  });

  it('collapses every kind of whitespace, including paragraph breaks and CRLF', () => {
    expect(cleanTitle('  A\r\n\r\n  title\twith   gaps ')).toBe('A title with gaps');
  });

  it('keeps LaTeX as typed', () => {
    expect(cleanTitle('$\\mathcal{O}(n \\log n)$ Attention with\n  $\\alpha$-Entmax')).toBe('$\\mathcal{O}(n \\log n)$ Attention with $\\alpha$-Entmax');
  });
});

describe('HTML entities in titles and abstracts', () => {
  it.each([
    ['Q&amp;A', 'Q&A'],
    ['a &lt;b&gt; c', 'a <b> c'],
    ['&quot;in-context&quot;', '"in-context"'],
    ['LMs&#39; abilities', "LMs' abilities"],
    ['&#x3B1;-decay &#8212; fast', 'α-decay — fast'],
    ['&amp;lt; stays literal', '&lt; stays literal'],
    ['&unknown; &#0; &#xD800; kept', '&unknown; &#0; &#xD800; kept'],
  ])('%s → %s', (input, expected) => {
    expect(cleanTitle(input)).toBe(expected);
    expect(cleanText(input)).toBe(expected);
  });
});

describe('cleanText', () => {
  it('unwraps hard-wrapped lines but keeps blank-line paragraphs', () => {
    expect(cleanText('First line\nwraps here.\n\nSecond   paragraph\n  folded.')).toBe('First line wraps here.\n\nSecond paragraph folded.');
  });

  it('decodes entities and drops control characters, leaving LaTeX and ampersands in text', () => {
    expect(cleanText('20k Q&amp;A pairs\u0007 with $x^2$ &amp; \\textbf{bold}')).toBe('20k Q&A pairs with $x^2$ & \\textbf{bold}');
  });

  it('drops escape sequences whole and bidi overrides, which would recolour or reorder a terminal or chat', () => {
    expect(cleanText('bell \u001b[31m red \u001b[0m and \u001b]0;title\u0007 done')).toBe('bell red and done');
    expect(cleanTitle('Safe \u202Egnitset\u202C title \u2067x\u2069')).toBe('Safe gnitset title x');
    // Right-to-left text itself, and the marks that steer it, stay.
    expect(cleanTitle('نموذج \u200Flanguage')).toBe('نموذج \u200Flanguage');
  });

  it('turns whitespace-only text into the empty string', () => {
    expect(cleanText(' \n\n \t ')).toBe('');
  });
});

describe('absoluteHfUrl', () => {
  it.each([
    ['/avatars/1b09e2742aecce1bbdc57f0c4504cf38.svg', 'https://huggingface.co/avatars/1b09e2742aecce1bbdc57f0c4504cf38.svg'],
    ['https://cdn-thumbnails.huggingface.co/x.png', 'https://cdn-thumbnails.huggingface.co/x.png'],
    ['//cdn.example/x.png', 'https://cdn.example/x.png'],
    ['javascript:alert(1)', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    expect(absoluteHfUrl(input)).toBe(expected);
  });
});

describe('firstSentences', () => {
  it('takes two sentences, not fooled by e.g., et al. or decimals', () => {
    const text = 'We follow Smith et al. and use e.g. transformers. It reaches 4.6% on X. The rest is detail.';
    expect(firstSentences(text, 2)).toBe('We follow Smith et al. and use e.g. transformers. It reaches 4.6% on X.');
  });

  it('returns the whole text when it has fewer sentences', () => {
    expect(firstSentences('Only one sentence here', 2)).toBe('Only one sentence here');
  });

  it('cuts an over-long sentence at a word with an ellipsis', () => {
    const long = `${'word '.repeat(200)}end.`;
    const out = firstSentences(long, 2, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.endsWith('word…')).toBe(true);
  });
});
