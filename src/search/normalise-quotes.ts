// Phones, Slack's editor and word processors turn "…" into curly or national quotes; people mean
// plain double quotes by them, in command text and in the query language alike.

const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
// ’ is also the apostrophe (don’t, authors’): single curly quotes count only as a ‘…’ pair that
// opens at the start of a word (or after =, : or -) and closes at the end of one.
const SINGLE_QUOTE_PAIR = /(?<=^|[\s=:(-])\u2018([^\u2018"]*?)\u2019(?=$|[\s)])/gu;

/** The same text with curly and national quotes turned into `"`. */
export function normaliseQuotes(text: string): string {
  return text.replace(DOUBLE_QUOTES, '"').replace(SINGLE_QUOTE_PAIR, '"$1"');
}
