// PostgreSQL's text type cannot hold U+0000, which SQLite stores: one NUL in free text (a query a
// user typed, an error a platform returned) would fail the whole statement. Free text is written
// without it, and the rest of the text is kept.

const NUL = /\u0000/g;

/** `text` without U+0000. */
export function pgText(text: string): string {
  return text.replace(NUL, '');
}

/** A row's values with U+0000 taken out of every string. */
export function pgTextValues<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? pgText(value) : value])) as T;
}
