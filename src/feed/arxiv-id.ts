// arXiv identifiers (https://info.arxiv.org/help/arxiv_identifier.html):
// - new style since 2007-04: YYMM.NNNN (4 digits until 2014-12), YYMM.NNNNN (5 digits from 2015-01);
// - old style before: archive[.SUBJECT]/YYMMNNN, e.g. astro-ph/0601001, math.GT/0309136.
// Either may carry a version suffix (v2) which we drop: papers are keyed by the bare id.

const maxInputLength = 300;

const newStyle = /^(\d{2})(\d{2})\.(\d{4,5})(?:v\d{1,3})?$/;
const oldStyle = /^([a-z]+(?:-[a-z]+)*)(\.[A-Z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v\d{1,3})?$/;

// URL forms people paste: arxiv.org/abs|pdf|html/<id>[.pdf], huggingface.co/papers/<id>.
const urlPattern =
  /^https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf|html)|(?:hf\.co|huggingface\.co)\/papers)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;

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
 * huggingface.co/papers URL), or null when it is not one. Never throws.
 */
export function parseArxivId(input: string): string | null {
  if (input.length > maxInputLength) return null;
  let candidate = input.trim();
  const url = urlPattern.exec(candidate);
  if (url) candidate = decodeURIComponentSafe(url[1] ?? '');
  candidate = candidate.replace(/^arxiv:\s*/i, '');
  return bareNewStyle(candidate) ?? bareOldStyle(candidate);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
