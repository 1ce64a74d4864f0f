// Word wrap for the plain-text rendering (console, CLI, Slack's notification fallback).

/** Columns of plain text: the width of the README's digest sample. */
export const PLAIN_TEXT_WIDTH = 100;

/**
 * Greedy word wrap of one paragraph: the first line starts with `first`, the others with `rest`.
 * A word longer than a line (a URL) stays whole on its own line; runs of spaces collapse.
 */
export function wrapWords(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Wraps each line of a text block that is longer than `width`. Short lines stay as they are
 * (help's aligned columns); a long line keeps its indent, and a bullet (`•`, `-`, `1.`) or a
 * command line (`/papers …`) hangs.
 */
export function wrapBlock(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const [, indent = '', bullet = ''] = /^(\s*)((?:[•*-]|\d+\.)\s+)?/.exec(line) ?? [];
      const body = line.slice(indent.length + bullet.length);
      // A usage line (`/papers digest set [time=…] …`) hangs under its command, like its description.
      const hang = bullet ? ' '.repeat(bullet.length) : body.startsWith('/') ? '    ' : '';
      return wrapWords(body, width, indent + bullet, indent + hang);
    })
    .join('\n');
}

/** `text` cut at a word boundary to at most `max` characters, with "…" when cut. */
export function clipWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
