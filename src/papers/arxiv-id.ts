// arXiv identifiers (https://info.arxiv.org/help/arxiv_identifier.html):
// - new style since 2007-04: YYMM.NNNN (4 digits until 2014-12), YYMM.NNNNN (5 digits from 2015-01);
// - old style before: archive[.SUBJECT]/YYMMNNN, e.g. astro-ph/0601001, math.GT/0309136.
// Either may carry a version suffix (v1, v2, …: versions start at 1) which we drop: papers are
// keyed by the bare id.

const maxInputLength = 300;

const newStyle = /^(\d{2})(\d{2})\.(\d{4,5})(?:v[1-9]\d{0,2})?$/;
const oldStyle = /^([a-z]+(?:-[a-z]+)*)(\.[A-Z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v[1-9]\d{0,2})?$/;

// Hosts whose paper URLs we read; everything else (arxiv.org.evil.com included) is refused.
const arxivHosts = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org']);
const hfHosts = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co', 'www.hf.co']);
// Paths of one paper: arxiv.org/abs|pdf|html/<id>[.pdf], huggingface.co/papers/<id>.
const arxivPaths = new Set(['abs', 'pdf', 'html']);

// `scheme://`, or a bare domain (its last label has a letter) followed by a slash: a URL typed
// without https://. Anything else is read as an id, so `abc` is "not an id", not a host.
const withScheme = /^[a-z][a-z\d+.-]*:\/\//i;
const bareDomain = /^(?:[a-z\d-]+\.)+[a-z][a-z\d-]*(?::\d+)?(?:[/?#]|$)/i;

export type ArxivIdReading =
  | { ok: true; id: string }
  | { ok: false; reason: 'too_long' | 'not_an_id' | 'credentials' }
  | { ok: false; reason: 'other_host'; host: string };

function validMonth(mm: string): boolean {
  const month = Number(mm);
  return month >= 1 && month <= 12;
}

function bareNewStyle(id: string): string | null {
  const m = newStyle.exec(id);
  if (!m) return null;
  const [, yy = '', mm = '', number = ''] = m;
  if (!validMonth(mm)) return null;
  const yymm = Number(yy + mm);
  // The scheme started in 0704; the 5-digit sequence number started in 1501.
  if (yymm < 704) return null;
  if ((yymm < 1501) !== (number.length === 4)) return null;
  return `${yy}${mm}.${number}`;
}

function bareOldStyle(id: string): string | null {
  const m = oldStyle.exec(id);
  if (!m) return null;
  const [, archive = '', subject = '', yy = '', mm = '', number = ''] = m;
  if (!validMonth(mm)) return null;
  // Old-style ids run from 1991-08 to 2007-03.
  const year = Number(yy) >= 91 ? 1900 + Number(yy) : 2000 + Number(yy);
  if (year > 2007) return null;
  return `${archive}${subject}/${yy}${mm}${number}`;
}

/**
 * The bare arXiv id in `input` (an id, a versioned id, `arXiv:` prefixed, or an arxiv.org /
 * huggingface.co/papers URL, with or without its scheme, in any case), or null when it is not one.
 * Brackets, quotes and punctuation pasted around it are ignored; the id itself is read strictly.
 * Never throws.
 */
export function parseArxivId(input: string): string | null {
  const reading = readArxivId(input);
  return reading.ok ? reading.id : null;
}

/** Like parseArxivId, but says why an input is refused (for the user's error message). */
export function readArxivId(input: string): ArxivIdReading {
  if (input.length > maxInputLength) return { ok: false, reason: 'too_long' };
  const candidate = unwrap(input).replace(/^arxiv:\s*/i, '');
  const id = bareId(candidate);
  if (id) return { ok: true, id };
  if (!withScheme.test(candidate) && !bareDomain.test(candidate)) return { ok: false, reason: 'not_an_id' };
  return idFromUrl(withScheme.test(candidate) ? candidate : `https://${candidate}`);
}

function bareId(text: string): string | null {
  return bareNewStyle(text) ?? bareOldStyle(text);
}

// What prose and chat markup put around a pasted id or link: opening brackets and quotes before it,
// closing ones and sentence punctuation after it ("see (arxiv.org/abs/2410.17243)."), Markdown's
// code and emphasis marks around it (`…`, *…*, _…_, ~~…~~), an ellipsis or a slash after it. None
// of these can end an id, and a URL we accept never needs them at its end.
const leadingNoise = /^[\s([{"'“‘«`*_~]+/u;
const trailingNoise = /[\s)\]}"'”’».,;:!?`*_~…/]+$/u;

/**
 * Whitespace, brackets, quotes and trailing punctuation, and the <…> that Slack (<url|label>) and
 * Discord (<url>) put around links, in any nesting: `(<https://…>).`
 */
function unwrap(input: string): string {
  let text = input;
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(leadingNoise, '').replace(trailingNoise, '');
    const wrapped = /^<([^<>|]*)(?:\|[^<>]*)?>$/.exec(text);
    if (wrapped) text = wrapped[1] ?? '';
  }
  return text;
}

function idFromUrl(text: string): ArxivIdReading {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not_an_id' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'not_an_id' };
  const host = url.hostname;
  const arxiv = arxivHosts.has(host);
  if (!arxiv && !hfHosts.has(host)) return { ok: false, reason: 'other_host', host };
  // `user:pw@arxiv.org` names arxiv.org but is not a link anyone copies from it: refused, and said why.
  if (url.username || url.password) return { ok: false, reason: 'credentials' };
  if (url.port) return { ok: false, reason: 'not_an_id' };
  // Segments after /abs/ or /papers/: one for a new-style id, two for an old-style one.
  const [kind = '', ...rest] = url.pathname.split('/').filter(Boolean);
  // Scheme and host are case-insensitive (URL lowercases them); so are these path words.
  const pathOk = arxiv ? arxivPaths.has(kind.toLowerCase()) : kind.toLowerCase() === 'papers';
  if (!pathOk || rest.length === 0 || rest.length > 2) return { ok: false, reason: 'not_an_id' };
  const id = bareId(decodeURIComponentSafe(rest.join('/')).replace(/\.pdf$/i, ''));
  return id ? { ok: true, id } : { ok: false, reason: 'not_an_id' };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
