import { UserError } from '../errors.ts';

const YES = new Set(['yes', 'true', 'on', 'y', '1']);
const NO = new Set(['no', 'false', 'off', 'n', '0']);

/**
 * `artifacts:no` (or `artifacts=no`) typed among a watch's words: an option of the watch, never a
 * search word, so it is taken out of the query both when the watch is added and when the same text
 * names it to remove it. Outside double quotes only; a value that is not yes/no is refused.
 */
export function takeArtifactsWord(text: string): { query: string; artifacts?: boolean } {
  let artifacts: boolean | undefined;
  let quoted = false;
  const kept: string[] = [];
  for (const word of text.split(/(\s+)/)) {
    const option = quoted ? null : /^artifacts[:=](.*)$/i.exec(word);
    if (option) {
      const value = (option[1] ?? '').toLowerCase();
      if (!YES.has(value) && !NO.has(value)) throw new UserError('bad_option', '`artifacts` must be yes or no, e.g. `artifacts:no`.');
      artifacts = YES.has(value);
      continue;
    }
    if ((word.match(/"/g) ?? []).length % 2 === 1) quoted = !quoted;
    kept.push(word);
  }
  return { query: kept.join('').replace(/\s+/g, ' ').trim(), artifacts };
}
