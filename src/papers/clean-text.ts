// Text as the feed serves it: arXiv hard-wraps titles and abstracts ("\n  " line folding), the HF
// API sometimes passes HTML entities through, and abstracts contain LaTeX that must stay as typed.

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

// One pass over the string, so `&amp;lt;` becomes the literal text `&lt;`, never `<`.
const entityPattern = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g;

/** Decodes the entities HF and arXiv actually emit (&amp; &lt; &gt; &quot; &#39; and numeric ones). */
function decodeEntities(text: string): string {
  return text.replace(entityPattern, (match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return namedEntities[name] ?? match;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    // Lone surrogates, NUL and out-of-range code points would make invalid strings: keep them as written.
    if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return match;
    return String.fromCodePoint(code);
  });
}

// ANSI escape sequences as a coloured terminal copies them: CSI (`ESC[1;31m`), OSC (`ESC]0;title BEL`
// or ST-terminated) and two-character escapes. Dropped whole: dropping only ESC would leave `[31m`.
export const ansiEscapes = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// C0/C1 control characters other than tab and newline: they break chat rendering and FTS tokens.
// Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) reorder what a terminal or chat
// shows after them ("Trojan Source"); a title never needs them (marks like U+200F stay).
const unsafeChars = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Feed text without escape sequences, control characters or bidi overrides (whitespace kept as is). */
export function dropUnsafeChars(text: string): string {
  return text.replace(ansiEscapes, '').replace(unsafeChars, '');
}

function collapseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Cleans an abstract: decodes entities, unwraps hard line breaks, collapses runs of whitespace and
 * keeps paragraph breaks (a blank line) as "\n\n". LaTeX (`$x^2$`, `\alpha`) is left as text.
 */
export function cleanText(text: string): string {
  const decoded = dropUnsafeChars(decodeEntities(text.replace(/\r\n?/g, '\n')));
  return decoded
    .split(/\n[ \t]*\n+/)
    .map(collapseLine)
    .filter((paragraph) => paragraph.length > 0)
    .join('\n\n');
}

/** Cleans a title: like `cleanText`, but always one line. */
export function cleanTitle(text: string): string {
  return collapseLine(dropUnsafeChars(decodeEntities(text)));
}

/** Makes an HF-relative URL (`/avatars/…`) absolute; keeps absolute http(s) URLs; anything else → null. */
export function absoluteHfUrl(url: string | null | undefined, base = 'https://huggingface.co'): string | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  // Protocol-relative (`//cdn…`) is a host, not a path on huggingface.co.
  if (trimmed.startsWith('//')) return `https:${trimmed}`;
  if (trimmed.startsWith('/')) return `${base}${trimmed}`;
  return null;
}

// "e.g. the", "et al. show", "Fig. 2": a period that does not end a sentence.
const abbreviation = /(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|No|approx|resp|Dr|Prof|Inc))\.$/;

/**
 * The first `count` sentences of a cleaned text, at most `maxChars` (cut at a word, with "…").
 * A sentence ends at . ! or ? followed by a space and an upper-case letter, digit or bracket.
 */
export function firstSentences(text: string, count = 2, maxChars = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let end = 0;
  let found = 0;
  const boundary = /[.!?](?=\s+[A-Z0-9("'[])/g;
  for (let m = boundary.exec(flat); m && found < count; m = boundary.exec(flat)) {
    if (abbreviation.test(flat.slice(Math.max(0, m.index - 8), m.index + 1))) continue;
    found += 1;
    end = m.index + 1;
  }
  const sentences = found < count ? flat : flat.slice(0, end);
  if (sentences.length <= maxChars) return sentences;
  const cut = sentences.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
