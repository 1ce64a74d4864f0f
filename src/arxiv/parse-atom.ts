import { z } from 'zod';
import { PermanentError, TransientError } from '../errors.ts';
import { parseArxivId } from '../papers/arxiv-id.ts';
import type { ArxivPaper } from '../papers/arxiv-paper.ts';
import { readXml, snippet, textOf } from './parse-xml.ts';

// The arXiv API's Atom feed (https://info.arxiv.org/help/api/user-manual.html): one <entry> per
// paper. An error (a malformed id_list) is a feed with one entry whose id is
// `https://arxiv.org/api/errors#…` and whose summary says what was wrong.

const Text = z.union([z.string(), z.object({ '#text': z.unknown() }).loose()]).optional();
const Term = z.object({ '@_term': z.string() }).loose();

const Entry = z
  .object({
    id: Text,
    title: Text,
    summary: Text,
    published: Text,
    author: z.array(z.object({ name: Text }).loose()).optional(),
    category: z.array(Term).optional(),
    'arxiv:primary_category': Term.optional(),
  })
  .loose();

const Feed = z.object({
  feed: z
    .object({
      'opensearch:totalResults': Text,
      entry: z.array(z.unknown()).optional(),
    })
    .loose(),
});

export class ArxivApiError extends PermanentError {
  constructor(message: string) {
    super(message, { reason: 'arxiv_api_error' });
    this.name = 'ArxivApiError';
  }
}

type AtomPage = { papers: ArxivPaper[]; totalResults: number | null; skipped: number };

const ERROR_ID = /\/api\/errors#/;

function readEntry(raw: unknown): ArxivPaper | null {
  const parsed = Entry.safeParse(raw);
  if (!parsed.success) return null;
  const entry = parsed.data;
  const idText = textOf(entry.id).replace(/^https?:\/\/(www\.|export\.)?arxiv\.org\/abs\//i, '');
  const arxivId = parseArxivId(idText);
  const title = textOf(entry.title);
  if (!arxivId || !title) return null;
  const version = /v(\d{1,3})$/.exec(idText)?.[1];
  const primary = entry['arxiv:primary_category']?.['@_term'];
  const categories = [...new Set([...(primary ? [primary] : []), ...(entry.category ?? []).map((c) => c['@_term'])])];
  const published = Date.parse(textOf(entry.published));
  return {
    arxivId,
    version: version ? Number(version) : null,
    title,
    abstract: textOf(entry.summary),
    authors: (entry.author ?? []).map((a) => textOf(a.name)).filter(Boolean),
    categories,
    publishedAt: Number.isFinite(published) ? published : null,
  };
}

/** Reads one API response body. ArxivApiError for arXiv's error entry; TransientError for a body that is not its Atom. */
export function parseArxivAtom(body: string): AtomPage {
  const doc = Feed.safeParse(readXml(body, 'the arXiv API response'));
  if (!doc.success) throw new TransientError(`the arXiv API answered something that is not its Atom feed: "${snippet(body)}"`);
  const entries = doc.data.feed.entry ?? [];
  const error = entries.map((raw) => Entry.safeParse(raw)).find((e) => e.success && ERROR_ID.test(textOf(e.data.id)));
  if (error?.success) throw new ArxivApiError(`arXiv API: ${textOf(error.data.summary) || 'error'}`);
  const papers: ArxivPaper[] = [];
  let skipped = 0;
  for (const raw of entries) {
    const paper = readEntry(raw);
    if (paper) papers.push(paper);
    else skipped += 1;
  }
  const total = Number(textOf(doc.data.feed['opensearch:totalResults']));
  return { papers, totalResults: Number.isInteger(total) ? total : null, skipped };
}
