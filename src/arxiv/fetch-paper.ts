import type { Deps } from '../deps.ts';
import { TransientError } from '../errors.ts';
import type { ArxivPaper } from '../papers/arxiv-paper.ts';
import { parseArxivAtom } from './parse-atom.ts';
import { getFromArxiv, type ArxivGate } from './polite-client.ts';

/**
 * One paper from the arXiv API (`id_list`), for a paper Hugging Face has no page for; null when
 * arXiv does not know the id. ArxivApiError when arXiv refuses the id (its error entry, HTTP 400).
 */
export async function fetchArxivPaper(
  deps: Pick<Deps, 'fetch' | 'store' | 'clock' | 'log' | 'config'>,
  arxivId: string,
  options: { gate?: ArxivGate; retries?: number } = {},
): Promise<ArxivPaper | null> {
  const url = new URL(deps.config.ARXIV_API_URL);
  url.searchParams.set('id_list', arxivId);
  url.searchParams.set('max_results', '1');
  const response = await getFromArxiv(deps, url.toString(), { gate: options.gate, retries: options.retries, timeoutMs: deps.config.FEED_TIMEOUT_MS });
  // A 400 carries arXiv's error entry, which parseArxivAtom turns into ArxivApiError.
  if (response.status !== 200 && response.status !== 400) throw new TransientError(`arXiv API answered HTTP ${response.status} for ${arxivId}`);
  const page = parseArxivAtom(response.body);
  return page.papers.find((paper) => paper.arxivId === arxivId) ?? null;
}
