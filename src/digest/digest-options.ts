import { z } from 'zod';
import { isValidTimeZone } from '../config.ts';
import { MAX_MIN_UPVOTES } from '../search/parse-query.ts';

// The one validation of a channel digest's options: `/papers digest set` parses them with this
// schema (Discord, Slack text and the CLI alike) and setDigest trusts the result.

export const DEFAULT_TOP = 5;
const MAX_TOP = 25;
/** The one bound on min_upvotes (and the query language's min:): validation, usage, Discord's max_value and the README use it. */
export { MAX_MIN_UPVOTES };
const MAX_QUERY_LENGTH = 300;

export const digestOptions = z.object({
  time: z
    .string()
    .trim()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM on a 24-hour clock, like 09:00 or 17:30')
    .optional()
    .meta({ placeholder: 'HH:MM' })
    .describe('Local time of the post, HH:MM (24-hour)'),
  timezone: z
    .string()
    .trim()
    .max(64)
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin, America/New_York or UTC')
    .optional()
    .meta({ placeholder: 'Area/City' })
    .describe('IANA time zone, e.g. Europe/Berlin'),
  // Bounds before .int(): zod reports the first failing check, and .int() carries its own
  // safe-integer maximum (9007199254740991), which is not ours.
  top: z.number().min(1).max(MAX_TOP).int().optional().describe(`How many papers to post (1-${MAX_TOP})`),
  min_upvotes: z.number().min(0).max(MAX_MIN_UPVOTES).int().optional().describe(`Leave out papers with fewer upvotes (0-${MAX_MIN_UPVOTES})`),
  query: z.string().trim().max(MAX_QUERY_LENGTH).optional().describe('Include/exclude terms in the query language; empty = every paper'),
  post_when_empty: z.boolean().optional().describe('Post a short note when the feed day had no papers'),
  sort: z.enum(['upvotes', 'rising']).optional().describe('upvotes (most first) or rising (upvote velocity, see trending)'),
  // hf: the Hugging Face feed day (the default). arxiv: the latest arXiv announcement of
  // ARXIV_CATEGORIES not posted yet, narrowed by the query, ranked by query relevance, else
  // upvotes, else listing order (min_upvotes and sort apply to Daily Papers only). all: the feed
  // day's papers first (ranked as hf), then the new papers of the latest announcement not posted
  // yet, each paper once, in one post at the hf schedule.
  source: z.enum(['hf', 'arxiv', 'all']).optional().describe('hf (Daily Papers), arxiv (the latest arXiv announcement) or all (both in one post)'),
  followups: z.boolean().optional().describe("Follow up in the post's thread: late risers, code released (default yes)"),
});

export type DigestOptions = z.output<typeof digestOptions>;
