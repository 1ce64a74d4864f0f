import type { Deps } from '../deps.ts';
import { TransientError } from '../errors.ts';
import type { FeedPaper } from '../papers/feed-paper.ts';
import { hfBudget } from './hf-budget.ts';
import { hfHeaders } from './hf-daily.ts';
import { getJson, HttpStatusError } from './http-get.ts';
import { parseApiPaper } from './schema.ts';

/**
 * One paper from `GET {HF_BASE_URL}/api/papers/{id}` (a bare paper object; huggingface_hub's
 * `paper_info`), at foreground priority of the request budget: a user is waiting.
 * null when Hugging Face has no page for it (404). Throws TransientError when Hugging Face does
 * not answer, refuses otherwise, or answers something that is not a paper.
 */
export async function fetchPaper(deps: Deps, arxivId: string): Promise<FeedPaper | null> {
  // Old-style ids keep their slash: it is part of the path HF serves (papers/astro-ph/0601001).
  const path = arxivId.split('/').map(encodeURIComponent).join('/');
  const url = `${deps.config.HF_BASE_URL.replace(/\/+$/, '')}/api/papers/${path}`;
  let body: unknown;
  try {
    // One retry only: someone is waiting for the reply.
    body = await getJson(deps, url, { source: 'hf', route: '/api/papers', timeoutMs: deps.config.FEED_TIMEOUT_MS, retries: 1, headers: hfHeaders(deps), budget: hfBudget(deps.config), maxRateLimitWaitMs: 5_000 });
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return null;
    if (err instanceof TransientError) throw err;
    throw new TransientError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  const parsed = parseApiPaper(body);
  if (!parsed.ok) throw new TransientError(`Hugging Face sent a paper for ${arxivId} that does not parse (${parsed.reason})`);
  if (parsed.paper.arxivId !== arxivId) throw new TransientError(`Hugging Face answered ${parsed.paper.arxivId} when asked for ${arxivId}`);
  return parsed.paper;
}
