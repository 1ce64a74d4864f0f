// An author name as BibTeX's `author` field reads it, and the family name a cite key starts with.
// BibTeX splits a name at its commas: `Last, First` or `von Last, Jr, First`. A name with a
// suffix (`Pat O'Brien, Jr.`, `Martin Luther King Jr.`) is rewritten into the second form, since
// as given BibTeX would read the suffix as a first or last name.

/** Generational suffixes. A lone `V` is left out: in `Smith, V` it is an initial. */
const SUFFIX = /^(?:jr|sr)\.?$|^(?:ii|iii|iv)$/i;

type Name = {
  /** What BibTeX should read, already escaped for a braced value. */
  bibtex: string;
  /** The family name's last word, for the cite key (`O'Brien`, `Beethoven`). */
  family: string;
};

/** `escaped`: the name with BibTeX's markup characters (braces among them) made literal. */
export function authorName(escaped: string): Name {
  const name = escaped.replace(/\s+/g, ' ').trim();
  const parts = name.split(',').map((part) => part.trim());
  const lastWord = (text: string) => text.split(' ').pop() ?? '';
  // ` and ` separates authors: a name holding it, or more commas than BibTeX reads, is one word.
  const whole = (family: string): Name => ({ bibtex: `{${name}}`, family });
  const [head = '', second, third] = parts;
  if (/(^| )and( |$)/i.test(name)) return whole(lastWord(head));

  if (parts.length === 1) {
    const words = head.split(' ');
    const jr = words.length > 1 && SUFFIX.test(words[words.length - 1] ?? '') ? words.pop() : undefined;
    if (jr === undefined) return { bibtex: name, family: lastWord(head) };
    return withSuffix(words, jr) ?? whole(words.join(' '));
  }
  if (parts.length === 2 && second !== undefined) {
    // `Pat O'Brien, Jr.`: a suffix after the comma; otherwise already `Last, First`.
    if (!SUFFIX.test(second)) return { bibtex: name, family: lastWord(head) };
    return withSuffix(head.split(' '), second) ?? whole(head);
  }
  // `O'Brien, Jr., Pat` is BibTeX's own form; any other run of commas it would refuse.
  if (parts.length === 3 && second !== undefined && third !== undefined && SUFFIX.test(second)) return { bibtex: name, family: lastWord(head) };
  return whole(lastWord(head));
}

/**
 * `Ludwig van Beethoven` + `Jr.` → `van Beethoven, Jr., Ludwig`: the von part starts at the first
 * word after the first name that begins in lower case, as BibTeX reads `First von Last`.
 * Undefined for a single word, which has no first name to put last.
 */
function withSuffix(words: string[], jr: string): Name | undefined {
  if (words.length < 2) return undefined;
  const von = words.findIndex((word, i) => i > 0 && i < words.length - 1 && /^\p{Ll}/u.test(word));
  const split = von === -1 ? words.length - 1 : von;
  const family = words.slice(split).join(' ');
  return { bibtex: `${family}, ${jr}, ${words.slice(0, split).join(' ')}`, family: words[words.length - 1] ?? '' };
}
