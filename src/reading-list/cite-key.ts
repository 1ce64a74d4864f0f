// `cheng2024breaking`: the cite key of a paper, in Google Scholar's and arXiv's style: first
// author's family name, year, first title word of four letters or more, in ASCII letters and digits.

/** Letters NFKD leaves whole (they are not a base letter plus an accent), spelled as they are in ASCII. */
const SPELLED: Record<string, string> = {
  Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', ß: 'ss', ẞ: 'SS', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe',
  Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Þ: 'Th', þ: 'th', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't', ı: 'i', Ŋ: 'N', ŋ: 'n',
};

/** Each part of a key is cut to this many characters, so a long word cannot make a long key. */
const MAX_PART = 20;

/** `Müller-Łukasz` → `mullerlukasz`. */
function keyPart(text: string): string {
  return text
    .replace(/[ŁłØøßẞÆæŒœĐđÐðÞþĦħŦŧıŊŋ]/g, (char) => SPELLED[char] ?? char)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase()
    .slice(0, MAX_PART);
}

export function citeKey(family: string, year: string | null, title: string, arxivId: string): string {
  const word = title.split(/\s+/).map(keyPart).find((w) => w.length >= 4) ?? '';
  const key = `${keyPart(family)}${year ?? ''}${word}`;
  return key || `arxiv${keyPart(arxivId)}`;
}
