import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { TransientError } from '../errors.ts';
import { hfBudget } from '../feed/hf-budget.ts';
import { hfHeaders } from '../feed/hf-daily.ts';
import { getJson, HttpStatusError } from '../feed/http-get.ts';
import { parseApiPaper } from '../feed/schema.ts';

/** What Hugging Face links to one paper now. */
export type Artifacts = {
  github: { url: string; stars: number | null } | null;
  projectPage: string | null;
  models: string[];
  datasets: string[];
  spaces: string[];
};

/** The kinds of artifact a paper can gain. */
type ArtifactKind = 'github' | 'project' | 'models' | 'datasets' | 'spaces';
export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['github', 'project', 'models', 'datasets', 'spaces'];

/** One kind of artifact that is news, the line telling it, and the items it tells (`github`, `project`, `models:<repo id>` …). */
type ArtifactNews = { kind: ArtifactKind; items: string[]; text: string };

// `GET /api/arxiv/{id}/repos`: the repos whose card cites the paper (the Hub's `arxiv:` tag),
// `{ models: [{ id, … }], datasets: [...], spaces: [...] }`. Only the ids are read; a list that is
// missing reads as empty.
const RepoList = z.array(z.object({ id: z.string().min(1) }).loose()).catch([]);
const ReposBody = z.object({ models: RepoList.default([]), datasets: RepoList.default([]), spaces: RepoList.default([]) }).loose();

/** Repo ids listed at most (a popular paper can have hundreds of models). */
const MAX_REPOS = 50;

function path(arxivId: string): string {
  return arxivId.split('/').map(encodeURIComponent).join('/');
}

async function get(deps: Deps, url: string, route: string): Promise<unknown | null> {
  try {
    return await getJson(deps, url, {
      source: 'hf',
      route,
      timeoutMs: deps.config.FEED_TIMEOUT_MS,
      retries: 1,
      headers: hfHeaders(deps),
      budget: hfBudget(deps.config),
      // Nobody waits for a follow-up: the ingest and commands go first.
      priority: 'background',
      maxRateLimitWaitMs: 5_000,
    });
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return null;
    if (err instanceof TransientError) throw err;
    throw new TransientError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** The paper's links on Hugging Face now; null when Hugging Face has no page for it. Throws TransientError. */
async function fetchArtifacts(deps: Deps, arxivId: string): Promise<Artifacts | null> {
  const base = deps.config.HF_BASE_URL.replace(/\/+$/, '');
  const body = await get(deps, `${base}/api/papers/${path(arxivId)}`, '/api/papers');
  if (body === null) return null;
  const parsed = parseApiPaper(body);
  if (!parsed.ok || parsed.paper.arxivId !== arxivId) throw new TransientError(`Hugging Face sent a paper for ${arxivId} that does not parse`);
  const reposBody = await get(deps, `${base}/api/arxiv/${path(arxivId)}/repos`, '/api/arxiv/repos');
  const repos = ReposBody.safeParse(reposBody ?? {});
  const ids = (list: Array<{ id: string }>) => list.slice(0, MAX_REPOS).map((repo) => repo.id);
  const paper = parsed.paper;
  return {
    github: paper.githubRepo ? { url: paper.githubRepo, stars: paper.githubStars } : null,
    projectPage: paper.projectPage,
    models: repos.success ? ids(repos.data.models) : [],
    datasets: repos.success ? ids(repos.data.datasets) : [],
    spaces: repos.success ? ids(repos.data.spaces) : [],
  };
}

/** A repo id as its Hub page: models at the root, datasets and Spaces under their prefix. */
function repoUrl(kind: 'models' | 'datasets' | 'spaces', id: string): string {
  return `https://huggingface.co/${kind === 'models' ? '' : `${kind}/`}${id}`;
}

function formatStars(stars: number | null): string {
  return stars === null ? '' : ` (★ ${stars})`;
}

function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/**
 * What is new about one paper, one line per kind, for the follow-ups and the watch alerts alike.
 * `shown`: what the message that presented the paper showed already (its card), never news;
 * `known(kind, item)`: what the reader was told before, or had as a baseline.
 */
export function artifactNews(
  found: Artifacts,
  shown: { github: unknown; projectPage: unknown },
  known: (kind: ArtifactKind, item: string) => boolean,
): ArtifactNews[] {
  const news: ArtifactNews[] = [];
  if (found.github && !shown.github && !known('github', 'github')) {
    news.push({ kind: 'github', items: ['github'], text: `code released: ${shortUrl(found.github.url)}${formatStars(found.github.stars)}` });
  }
  if (found.projectPage && !shown.projectPage && !known('project', 'project')) {
    news.push({ kind: 'project', items: ['project'], text: `project page: ${found.projectPage}` });
  }
  for (const kind of ['models', 'datasets', 'spaces'] as const) {
    const fresh = found[kind].filter((id) => !known(kind, `${kind}:${id}`));
    if (fresh.length === 0) continue;
    const label = { models: 'model', datasets: 'dataset', spaces: 'Space' }[kind];
    const links = fresh.slice(0, 3).map((id) => repoUrl(kind, id));
    const more = fresh.length > 3 ? ` and ${fresh.length - 3} more` : '';
    news.push({ kind, items: fresh.map((id) => `${kind}:${id}`), text: `new ${label}${fresh.length === 1 ? '' : 's'} on Hugging Face: ${links.join(' ')}${more}` });
  }
  return news;
}

/** One pass's artifact lookups: each paper is fetched once however many posts and users ask (the follow-ups and the watch alerts share it). */
export type ArtifactLookup = (arxivId: string) => Promise<Artifacts | null>;

export function artifactLookup(deps: Deps): ArtifactLookup {
  const found = new Map<string, Promise<Artifacts | null>>();
  return (arxivId) => {
    let pending = found.get(arxivId);
    if (!pending) {
      pending = fetchArtifacts(deps, arxivId);
      found.set(arxivId, pending);
    }
    return pending;
  };
}
