import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.ts';
import { absoluteHfUrl, cleanText, cleanTitle } from '../papers/clean-text.ts';
import type { FeedPaper } from '../papers/feed-paper.ts';

// Hugging Face Daily Papers payloads. The API has drifted (2024 items have no ai_summary,
// githubRepo or organization; 2026 items do) and will drift again, so everything but the paper id
// and a title is optional, unknown fields are allowed (loose objects), and an optional field with
// an unexpected type reads as "absent" instead of costing us the whole paper.

/** An optional field: a wrong type or null reads as undefined (never as 0 or ''). */
function optional<T extends z.ZodType>(schema: T): z.ZodCatch<z.ZodOptional<T>> {
  return schema.optional().catch(undefined);
}

/** An array whose malformed elements are dropped one by one. */
function lenientArray<T extends z.ZodType>(element: T) {
  return z
    .array(z.unknown())
    .transform((items) =>
      items.flatMap((item) => {
        const parsed = element.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      }),
    )
    .optional()
    .catch(undefined);
}

const count = z.number().int().nonnegative();

/** A URL that HF may serve relative (`/avatars/…`): absolute after parsing, or absent. */
const hfUrl = optional(z.string()).transform((url) => absoluteHfUrl(url) ?? undefined);

const HfUserSchema = z.looseObject({
  fullname: optional(z.string()),
  /** The username (2026 `submittedOnDailyBy` uses `user`; older shapes `name`). */
  user: optional(z.string()),
  name: optional(z.string()),
  avatarUrl: hfUrl,
});

const HfAuthorSchema = z.looseObject({
  name: optional(z.string()),
  hidden: optional(z.boolean()),
  user: optional(HfUserSchema),
});

/** `organization` was added in 2025; an object today, a plain name is accepted too. */
const HfOrganizationSchema = z.union([
  z.string(),
  z.looseObject({ name: optional(z.string()), fullname: optional(z.string()), avatar: hfUrl }),
]);

/** The paper object: inside each daily item, and the bare body of `GET /api/papers/{id}`. */
const HfPaperSchema = z.looseObject({
  // A string, always. A number here has already lost digits (2410.17240 → 2410.1724): reject.
  id: z.string().min(1),
  title: optional(z.string()),
  summary: optional(z.string()),
  authors: lenientArray(HfAuthorSchema),
  /** arXiv publication time. */
  publishedAt: optional(z.string()),
  submittedOnDailyAt: optional(z.string()),
  submittedOnDailyBy: optional(HfUserSchema),
  upvotes: optional(count),
  numComments: optional(count),
  githubRepo: optional(z.string()),
  githubStars: optional(count),
  projectPage: optional(z.string()),
  ai_summary: optional(z.string()),
  ai_keywords: lenientArray(z.string()),
  organization: optional(HfOrganizationSchema),
  thumbnail: hfUrl,
});
type HfPaper = z.infer<typeof HfPaperSchema>;

/** One element of `GET /api/daily_papers`: a wrapper around `paper`. */
export const HfDailyItemSchema = z.looseObject({
  paper: HfPaperSchema,
  /** Preferred over paper.title: HF serves it without the arXiv line folding. */
  title: optional(z.string()),
  summary: optional(z.string()),
  thumbnail: hfUrl,
  numComments: optional(count),
  organization: optional(HfOrganizationSchema),
  submittedBy: optional(HfUserSchema),
  // Deliberately not read: the outer `publishedAt` changed meaning over time (see fixtures/README).
});
type HfDailyItem = z.infer<typeof HfDailyItemSchema>;

type ParseResult = { ok: true; paper: FeedPaper } | { ok: false; reason: string; id?: string };

function epochMs(iso: string | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function organizationName(org: z.infer<typeof HfOrganizationSchema> | undefined): string | null {
  if (org === undefined) return null;
  const name = typeof org === 'string' ? org : (org.fullname ?? org.name);
  const cleaned = name ? cleanTitle(name) : '';
  return cleaned || null;
}

function githubUrl(repo: string | undefined): string | null {
  const trimmed = repo?.trim();
  if (!trimmed) return null;
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  // Seen as "owner/name" in some records.
  if (/^[\w.-]+\/[\w.-]+$/.test(trimmed)) return `https://github.com/${trimmed}`;
  return null;
}

function nonEmpty(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

/** Normalises a paper object, with the daily wrapper's fields (outer title etc.) taking precedence. */
function toFeedPaper(paper: HfPaper, outer?: HfDailyItem): ParseResult {
  const arxivId = parseArxivId(paper.id);
  if (!arxivId) return { ok: false, reason: `paper.id is not an arXiv id`, id: paper.id.slice(0, 40) };
  const title = cleanTitle(outer?.title ?? paper.title ?? '');
  if (!title) return { ok: false, reason: 'no title', id: arxivId };
  const authors = (paper.authors ?? [])
    .filter((author) => author.hidden !== true)
    .map((author) => cleanTitle(author.name ?? author.user?.fullname ?? ''))
    .filter((name) => name.length > 0);
  const aiSummary = nonEmpty(paper.ai_summary);
  const keywords = (paper.ai_keywords ?? []).map(cleanTitle).filter(Boolean);
  return {
    ok: true,
    paper: {
      arxivId,
      title,
      abstract: cleanText(paper.summary ?? outer?.summary ?? ''),
      authors,
      organization: organizationName(outer?.organization ?? paper.organization),
      publishedAt: epochMs(paper.publishedAt),
      upvotes: paper.upvotes ?? 0,
      numComments: outer?.numComments ?? paper.numComments ?? null,
      githubRepo: githubUrl(paper.githubRepo),
      githubStars: paper.githubStars ?? null,
      projectPage: nonEmpty(paper.projectPage),
      aiSummary: aiSummary === null ? null : cleanText(aiSummary),
      aiKeywords: paper.ai_keywords === undefined ? null : keywords,
      thumbnail: outer?.thumbnail ?? paper.thumbnail ?? null,
    },
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

// Only to name a rejected item in the log line (a numeric id is shown as the number it became).
const RawIdSchema = z.object({ paper: z.object({ id: z.union([z.string(), z.number()]) }) });

/** One daily-papers list element → FeedPaper, or why it was rejected (never throws). */
export function parseDailyItem(raw: unknown): ParseResult {
  const parsed = HfDailyItemSchema.safeParse(raw);
  if (!parsed.success) {
    const rawId = RawIdSchema.safeParse(raw);
    return { ok: false, reason: describeIssues(parsed.error), ...(rawId.success ? { id: String(rawId.data.paper.id).slice(0, 40) } : {}) };
  }
  return toFeedPaper(parsed.data.paper, parsed.data);
}

/** The bare paper object of `GET /api/papers/{id}` (or a paper page's data-props) → FeedPaper. */
export function parseApiPaper(raw: unknown): ParseResult {
  const parsed = HfPaperSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  return toFeedPaper(parsed.data);
}
