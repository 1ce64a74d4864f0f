/**
 * The normalised href of an http(s) URL, or null for anything else (javascript:, slack://, junk).
 * Feed URLs are untrusted: every adapter starts from this, then escapes for its own markup.
 */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
}
