import { z } from 'zod';
import type { Deps } from '../src/deps.ts';
import { TransientError, UserError } from '../src/errors.ts';
import { parseArxivId, readArxivId, type ArxivIdReading } from '../src/papers/arxiv-id.ts';
import { readCategories } from '../src/papers/arxiv-paper.ts';
import { fetchArxivPaper } from '../src/arxiv/fetch-paper.ts';
import { fetchPaper } from '../src/feed/hf-paper.ts';
import { message, type Message } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import { NO_FEED_DAY, type PaperRow } from '../src/store/store.ts';
import { defineCommand } from './define-command.ts';

const acceptedForms =
  'Use an arXiv id like 2410.17243 (a version such as 2410.17243v2 is fine), an old-style id like astro-ph/0601001, ' +
  'or a link to arxiv.org/abs/…, arxiv.org/pdf/… or huggingface.co/papers/… (hf.co/papers/… too).';

/** Why the input was refused, quoting it without control characters (newlines, RLO). */
function refusal(input: string, reading: Exclude<ArxivIdReading, { ok: true }>): string {
  if (reading.reason === 'too_long') return `That is too long for an arXiv id or link (${input.length} characters). ${acceptedForms}`;
  if (reading.reason === 'other_host') return `\`${quote(reading.host)}\` is not arxiv.org or huggingface.co. ${acceptedForms}`;
  if (reading.reason === 'credentials') return `That link carries a user name or password (\`user:…@\`): paste the paper's link as arXiv or Hugging Face shows it. ${acceptedForms}`;
  return `\`${quote(input)}\` is not an arXiv id. ${acceptedForms}`;
}

function quote(text: string): string {
  // Backticks would end the code span the text is quoted in.
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '').replaceAll('`', "'").trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

export const paper = defineCommand({
  name: 'paper',
  description: 'One paper in full: abstract, authors, links, upvotes',
  options: z.object({
    id: z.string().trim().min(1).max(300).describe('arXiv id or URL (arxiv.org or huggingface.co/papers)'),
  }),
  rest: 'id',
  examples: ['paper 2410.17243', 'paper https://huggingface.co/papers/2410.17243'],
  autocomplete: {
    async id({ deps, partial }) {
      // Typing a URL or a versioned id should still find the paper.
      const prefix = parseArxivId(partial) ?? partial.trim();
      return (await deps.store.listRecentPapers({ limit: 25, prefix: prefix || undefined })).map((row) => ({
        name: `${row.arxivId} · ${row.title}`,
        value: row.arxivId,
      }));
    },
  },
  async run({ options, deps }) {
    return showPaper(deps, paperIdOf(options.id));
  },
});

/** The arXiv id in what the user typed, or the refusal `paper` gives (also `similar`'s). */
export function paperIdOf(input: string): string {
  const reading = readArxivId(input);
  if (!reading.ok) throw new UserError('bad_paper_id', refusal(input, reading));
  return reading.id;
}

/** The stored paper, or fetched on demand and stored as `paper` does (also `similar`'s lookup). */
export async function findOrFetchPaper(deps: Deps, arxivId: string): Promise<PaperRow> {
  return (await deps.store.getPaperByArxivId(arxivId)) ?? (await fetchAndStore(deps, arxivId));
}

/** One paper in full: the stored row, or fetched on demand (also for an id typed into search). */
export async function showPaper(deps: Deps, arxivId: string): Promise<Message> {
  const row = await findOrFetchPaper(deps, arxivId);
  const card = toPaperCard(row, { full: true });
  // Stored on demand: no feed day, so no digest, alert or `today` list will show it. Only the
  // arXiv API gives categories to a paper no listing brought.
  const from = readCategories(row.categories).length > 0 ? 'arXiv' : 'Hugging Face';
  const text = row.latestFeedDate === NO_FEED_DAY ? `Not listed in Daily Papers: fetched from ${from} on request.` : '';
  return message({ kind: 'paper', visibility: 'public', title: card.title, titleUrl: card.url, text, papers: [card] });
}

/**
 * A paper no feed day brought, stored without a feed day (searchable from then on): from Hugging
 * Face, or, when it has no page, from the arXiv API (e.g. a paper Daily Papers never picked).
 */
async function fetchAndStore(deps: Deps, arxivId: string): Promise<PaperRow> {
  // Already the command's logger (module, command, user) when dispatch runs it.
  const log = deps.log;
  let paper;
  try {
    paper = await fetchPaper(deps, arxivId);
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    log.info({ arxivId, error: err.message }, 'Hugging Face did not answer a paper lookup');
    throw new UserError('hf_unavailable', `I could not reach Hugging Face to look up ${arxivId}. Please try again in a minute.`, { cause: err });
  }
  const now = deps.clock.now();
  if (paper) return deps.store.storeUnlistedPaper(paper, now);
  let listed;
  try {
    // A command answers now: one attempt, no backoff (the reply says arXiv did not answer).
    listed = await fetchArxivPaper(deps, arxivId, { retries: 0 });
  } catch (err) {
    // arXiv refused the id or did not answer: the Hugging Face answer stands, with the arXiv link.
    log.info({ arxivId, error: err instanceof Error ? err.message : String(err) }, 'arXiv did not answer a paper lookup');
    throw new UserError('not_found', `Hugging Face has no page for ${arxivId}, and arXiv did not answer: https://arxiv.org/abs/${arxivId}`, { cause: err });
  }
  if (!listed) throw new UserError('not_found', `Neither Hugging Face nor arXiv knows ${arxivId}: check the id (https://arxiv.org/abs/${arxivId}).`);
  const fromArxiv = { ...emptyFacts, arxivId, title: listed.title, abstract: listed.abstract, authors: listed.authors, publishedAt: listed.publishedAt };
  return deps.store.storeUnlistedPaper(fromArxiv, now, { categories: listed.categories, version: listed.version });
}

/** What the arXiv API does not say about a paper. */
const emptyFacts = { organization: null, upvotes: 0, numComments: null, githubRepo: null, githubStars: null, projectPage: null, aiSummary: null, aiKeywords: null, thumbnail: null };
