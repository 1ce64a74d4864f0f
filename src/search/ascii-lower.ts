/**
 * Lowercases A–Z only, like SQLite's lower() and LIKE: the org: filter must fold the same way in
 * SQL and in the watch matcher's memory.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
