// Everything the feed (or a user) wrote passes through here before it reaches Discord markdown.
// A backslash before any ASCII punctuation makes Discord show the character itself, so every
// character that can start markup is escaped: emphasis (* _ ~), code (`), spoilers (|), masked
// links ([ ]), mentions and timestamps (<@id>, <#id>, <t:…>, @everyone), quotes (>), and the
// line-start markers of headings, lists and subtext (# - + 1.). Mentions never ping anyway
// (`allowed_mentions: { parse: [] }` on every send): this keeps them from even rendering as one.
// URLs stay verbatim so Discord's autolinking is not broken by a `\_` inside them.
// (discord.js's escapeMarkdown misses mentions and quotes, and takes milliseconds per abstract.)

/**
 * Bare http(s) URLs, without trailing sentence punctuation. A URL ends before `[` or `]` (never
 * bare in a URL): else `https://x.org/a[click](javascript:…)` would pass unescaped as one "URL"
 * and render its tail as a masked link.
 */
const urlPattern = /https?:\/\/[^\s<>"[\]]+[^\s<>".,;:!?)\]'}[]/g;

function escapePlain(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>@]/g, '\\$&')
    .replace(/^(\s*)([#+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}

/** Escapes feed or user text for a markdown field (title, description, field name/value). */
export function escapeText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    out += escapePlain(text.slice(last, start)) + match[0];
    last = start + match[0].length;
  }
  return out + escapePlain(text.slice(last));
}

/**
 * Command-authored text: `inline code` spans are kept (commands quote queries and examples in
 * them; nothing inside a code span renders), everything else is escaped like feed text.
 */
export function escapeCommandText(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? part : escapeText(part)))
    .join('');
}

/** A fenced code block (help's aligned columns): a ``` inside cannot end it early. */
export function codeBlock(text: string): string {
  return `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

/**
 * Cuts plain text to at most `max` characters, at a word boundary when there is one in the last
 * third, ending with an ellipsis. Never leaves half a surrogate pair or half a URL behind.
 */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return '…';
  let cut = max - 1;
  const space = text.lastIndexOf(' ', cut);
  const newline = text.lastIndexOf('\n', cut);
  const boundary = Math.max(space, newline);
  if (boundary >= Math.floor(cut * 0.66)) cut = boundary;
  for (const match of text.matchAll(urlPattern)) {
    const end = match.index + match[0].length;
    if (match.index < cut && cut < end) cut = match.index;
  }
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  const head = text.slice(0, cut).replace(/[\s,;:.\-–—(]+$/u, '');
  return `${head}…`;
}

/**
 * The longest word-boundary prefix of `plain` whose rendering (`render`, e.g. escapeText) fits in
 * `max` characters. Escaping adds backslashes, so the plain budget shrinks until it fits.
 */
export function fitText(plain: string, max: number, render: (text: string) => string = escapeText): string {
  let budget = Math.min(plain.length, max);
  for (;;) {
    const rendered = render(clipWords(plain, budget));
    if (rendered.length <= max) return rendered;
    const over = rendered.length - max;
    budget = Math.max(0, budget - Math.max(over, 1));
    if (budget === 0) return render(clipWords(plain, 0));
  }
}
