import { MAX_LINK_URL } from './limits.ts';
import { httpUrl } from '../../messages/http-url.ts';

// Everything the feed (or a user) wrote passes through here before it reaches Slack. In mrkdwn,
// `<…>` is markup: `<!channel>`, `<!here>`, `<@U123>` ping people and `<url|label>` makes links.
// Slack's rule is to escape exactly three characters (&, <, >) as HTML entities; nothing else.

/** Escapes &, < and > for mrkdwn (section/context text and the `text` fallback). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * plain_text (headers, buttons) is not parsed for mentions, but entities would show literally there,
 * so instead of escaping we swap the angle brackets for their full-width look-alikes: nothing we
 * post ever contains a raw `<!…>` or `<@…>`, whichever field it sits in.
 */
export function plainText(text: string): string {
  return text.replace(/</g, '\uFF1C').replace(/>/g, '\uFF1E');
}

/**
 * An http(s) URL safe to put inside `<url|label>`, or null. `|` and `>` would end the URL part
 * early, so they are percent-encoded; anything that is not http(s) (javascript:, slack://) is refused.
 */
export function safeUrl(url: string | null | undefined): string | null {
  const parsed = httpUrl(url);
  if (parsed === null) return null;
  // The URL parser already percent-encodes < and > ; & is markup too, and Slack wants it as &amp;.
  const href = parsed.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;');
  return href.length > MAX_LINK_URL ? null : href;
}

/** `<url|label>` with the label escaped; just the escaped label when the URL is unusable. */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const safe = safeUrl(url);
  // A `|` in the label is fine (Slack splits at the first one), but newlines would break the link.
  const text = escapeMrkdwn(label.replace(/\s+/g, ' ').trim());
  return safe ? `<${safe}|${text}>` : text;
}

/** Cuts `text` to at most `max` characters (code points are not split), ending with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - 1);
  // Do not leave half a surrogate pair or half an entity (`&am…`) behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  return `${cut}…`;
}
