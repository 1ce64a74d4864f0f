import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

// The PostgreSQL twin of ../sqlite/schema.ts: same tables, columns and indexes, so rows read the
// same through the Store on either backend. Times are Unix epoch milliseconds (bigint, read as JS
// numbers); feed days are 'YYYY-MM-DD' (UTC) strings; ids are identity columns (BY DEFAULT, so a
// copy from SQLite can keep its ids). Full text is a generated `tsvector` on papers with a GIN
// index, in place of SQLite's FTS5 table.

/** drizzle has no tsvector type. */
const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

export const papers = pgTable(
  'papers',
  {
    /** Internal id; newer papers have higher ids (search windows walk it backwards). */
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** Bare arXiv id, always a string: `2410.17243`, `astro-ph/0601001`. */
    arxivId: text('arxiv_id').notNull(),
    title: text('title').notNull(),
    abstract: text('abstract').notNull().default(''),
    /** JSON array of author names (hidden authors dropped). Indexed as text (its punctuation splits words). */
    authors: text('authors').notNull().default('[]'),
    organization: text('organization'),
    /** arXiv published time (epoch ms), when known. */
    publishedAt: bigint('published_at', { mode: 'number' }),
    upvotes: integer('upvotes').notNull().default(0),
    /** null = the feed did not say (not zero). */
    numComments: integer('num_comments'),
    githubRepo: text('github_repo'),
    githubStars: integer('github_stars'),
    projectPage: text('project_page'),
    aiSummary: text('ai_summary'),
    /** JSON array of keywords, or null. */
    aiKeywords: text('ai_keywords'),
    thumbnail: text('thumbnail'),
    /** Most recent feed day the paper appeared on (denormalised from paper_days for ranking/today). */
    latestFeedDate: text('latest_feed_date').notNull(),
    firstSeenAt: bigint('first_seen_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    /** JSON array of arXiv categories, primary first (`["cs.CL","cs.LG"]`); '[]' until arXiv lists the paper. */
    categories: text('categories').notNull().default('[]'),
    /** Which sources listed the paper; rows from before the arXiv source were all Hugging Face's. */
    listedOnHf: boolean('listed_on_hf').notNull().default(true),
    listedOnArxiv: boolean('listed_on_arxiv').notNull().default(false),
    /** Latest arXiv version seen (3 for 2203.01250v3), when arXiv told us. */
    arxivVersion: integer('arxiv_version'),
    /**
     * Title A, abstract B, authors C (paperboy_search_vector, migration 0000_text_search): words
     * cut and stemmed as SQLite's FTS5 `porter unicode61` does (`rigor` finds "rigorous", `LLMs`
     * finds "LLM", `github` finds a GitHub URL), and no phrase across two columns. Plus the id's
     * bucket lexemes (paperboy_id_buckets, migration 0006_search_buckets): search ANDs a query
     * with the buckets of the newest ids, so the GIN index itself finds the newest matches.
     * Never selected with a paper row (paperColumns in papers.ts); PostgreSQL keeps it, in the row
     * (STORAGE MAIN, set by that migration: drizzle has no word for it).
     */
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`(paperboy_search_vector(title, abstract, authors) || paperboy_id_buckets(id))`),
    /** The title alone, then the `'|'` end marker and the id's buckets: known-item probes and autocomplete. */
    titleVector: tsvector('title_vector')
      .notNull()
      .generatedAlwaysAs(sql`(paperboy_title_vector(title) || paperboy_id_buckets(id))`),
  },
  (t) => [
    uniqueIndex('papers_arxiv_id_unique').on(t.arxivId),
    index('papers_search_vector_idx').using('gin', t.searchVector),
    index('papers_title_vector_idx').using('gin', t.titleVector),
    index('papers_latest_feed_date_idx').on(t.latestFeedDate, t.upvotes),
    index('papers_upvotes_idx').on(t.upvotes),
  ],
);

/** Every feed day a paper appeared on (the same paper can appear on two consecutive days). */
export const paperDays = pgTable(
  'paper_days',
  {
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    feedDate: text('feed_date').notNull(),
    /** Rank in the feed on that day (0 = first), as served. */
    position: integer('position').notNull().default(0),
    seenAt: bigint('seen_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.feedDate, t.paperId] }), index('paper_days_paper_idx').on(t.paperId)],
);

/**
 * The items of one arXiv announcement (named by its date in America/New_York), in listing order:
 * `new` and `cross` make the announcement's list; `replace` and `replace-cross` are revisions.
 */
export const arxivListings = pgTable(
  'arxiv_listings',
  {
    announcement: text('announcement').notNull(),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    /** new | cross | replace | replace-cross */
    announceType: text('announce_type').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.announcement, t.paperId] }), index('arxiv_listings_paper_idx').on(t.paperId)],
);

/** One row per arXiv poll that did something (stored, found nothing, or failed); unchanged feeds leave none. */
export const arxivPolls = pgTable(
  'arxiv_polls',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** The feed's announcement date (America/New_York), when the feed could be read. */
    announcement: text('announcement'),
    /** ok | empty | failed */
    status: text('status').notNull(),
    /** The categories the poll asked arXiv for (categoriesKey): another set is another announcement to store. */
    categories: text('categories').notNull().default(''),
    trigger: text('trigger').notNull().default('cron'),
    fetched: integer('fetched').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    /** What a person should know about a poll that did not fail (items skipped, no announcement on a weekday). */
    warning: text('warning'),
    error: text('error'),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('arxiv_polls_announcement_idx').on(t.announcement, t.status)],
);

/** One row per ingest of one feed day. A day counts as ingested once a run for it is `ok` or `empty`. */
export const ingestRuns = pgTable(
  'ingest_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    feedDate: text('feed_date').notNull(),
    /** running | ok | empty | failed */
    status: text('status').notNull(),
    trigger: text('trigger').notNull().default('cron'),
    fetched: integer('fetched').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    error: text('error'),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }),
  },
  (t) => [index('ingest_runs_date_idx').on(t.feedDate, t.status), index('ingest_runs_started_idx').on(t.startedAt)],
);

export const watches = pgTable(
  'watches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    /** As the user typed it (trimmed). */
    query: text('query').notNull(),
    /** Canonical form of the parsed query; duplicates are refused on it. */
    queryKey: text('query_key').notNull(),
    /** Tell the owner once when a paper it alerted to gets code or models (`watch … artifacts:no` turns it off). */
    artifacts: boolean('artifacts').notNull().default(true),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('watches_user_query_unique').on(t.platform, t.userId, t.queryKey),
    index('watches_user_idx').on(t.platform, t.userId),
  ],
);

/**
 * Each distinct watch text compiled for the matcher (src/watches/watch-form.ts): a cache, so a
 * restarted bot builds its watch index without parsing and stemming every text again. Rows of
 * another `version` are ignored and rewritten; rows of texts no watch has any more are pruned.
 */
export const watchForms = pgTable('watch_forms', {
  query: text('query').primaryKey(),
  version: integer('version').notNull(),
  /** JSON. */
  form: text('form').notNull(),
});

/**
 * GIN indexes a bulk copy dropped to fill its table fast (deferred-indexes.ts): built again, and
 * their rows deleted, when the copy ends, or at the next start if it was killed.
 */
export const deferredIndexes = pgTable('deferred_indexes', {
  name: text('name').primaryKey(),
  definition: text('definition').notNull(),
});

/** Papers already alerted to a user: the "never the same paper twice" fact. */
export const alertedPapers = pgTable(
  'alerted_papers',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    deliveryId: integer('delivery_id'),
    alertedAt: bigint('alerted_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId, t.paperId] })],
);

/** Per-user state that is not a watch: DMs closed, a notice still owed. */
export const users = pgTable(
  'users',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    /** Set when the platform refused a DM (Discord 50007, Slack cannot_dm_bot …); cleared on the next command. */
    dmClosedAt: bigint('dm_closed_at', { mode: 'number' }),
    dmClosedNoticeOwed: boolean('dm_closed_notice_owed').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] })],
);

export const channelDigests = pgTable(
  'channel_digests',
  {
    platform: text('platform').notNull(),
    channelId: text('channel_id').notNull(),
    /** Discord guild id or Slack team id, when known. */
    workspaceId: text('workspace_id'),
    /** Local time of day, HH:MM. */
    time: text('time').notNull(),
    timezone: text('timezone').notNull(),
    top: integer('top').notNull(),
    minUpvotes: integer('min_upvotes').notNull().default(0),
    /** Include/exclude terms in the query language; '' = everything. */
    query: text('query').notNull().default(''),
    postWhenEmpty: boolean('post_when_empty').notNull().default(false),
    /** upvotes (most first) or rising (upvote velocity, src/trending/). */
    sort: text('sort').notNull().default('upvotes'),
    /** Follow-ups in the digest's thread (src/followups/): late risers and released code. */
    followups: boolean('followups').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    /** Set when the platform refused us (channel gone, no access); config kept, resumes on access. */
    pausedReason: text('paused_reason'),
    pausedAt: bigint('paused_at', { mode: 'number' }),
    /** Latest feed day already enqueued for this channel: the digest watermark (for an arXiv digest: the last scheduled slot handled). */
    lastFeedDate: text('last_feed_date'),
    /** hf (Daily Papers), arxiv (the latest announcement) or all (both in one post); see digest-options.ts. */
    source: text('source').notNull().default('hf'),
    /** Latest arXiv announcement already enqueued (arxiv and all digests): the second watermark. */
    lastAnnouncement: text('last_announcement'),
    updatedBy: text('updated_by'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.channelId] })],
);

/** The outbox: every digest and alert is a row before anything is sent. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    platform: text('platform').notNull(),
    /** channel | user */
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    /** digest | alert | followup */
    kind: text('kind').notNull(),
    /** e.g. `digest:discord:123:2026-09-01`, `alert:slack:U1:42`; unique, so enqueueing twice is a no-op. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** JSON of the neutral Message. */
    payload: text('payload').notNull(),
    /** pending | sending | sent | failed */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull(),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }),
    /** A follow-up: the message it answers (the digest's message id as its delivery recorded it), and the thread's name. */
    replyTo: text('reply_to'),
    threadName: text('thread_name'),
  },
  (t) => [
    uniqueIndex('deliveries_key_unique').on(t.idempotencyKey),
    index('deliveries_due_idx').on(t.state, t.nextAttemptAt),
    index('deliveries_target_idx').on(t.platform, t.targetId, t.state),
  ],
);

/**
 * What follow-ups already told a digest's thread (src/followups/): one row per paper and item
 * (`rank`, `github`, `project`, `models`, `datasets`, `spaces`), written in the unit that queues
 * the follow-up, so nothing is told twice.
 */
export const followupItems = pgTable(
  'followup_items',
  {
    /** The digest delivery's idempotency key. */
    digestKey: text('digest_key').notNull(),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    item: text('item').notNull(),
    /** 0: a baseline row (known before the first check, never told). */
    deliveryId: integer('delivery_id').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.digestKey, t.paperId, t.item] })],
);

/** Paging state for list replies: buttons carry `cursor id + page`, so they survive restarts. */
export const pageCursors = pgTable(
  'page_cursors',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    command: text('command').notNull(),
    /** JSON of the command's parsed options. */
    options: text('options').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('page_cursors_created_idx').on(t.createdAt)],
);

/** Rate-limit waits seen from platforms and the feed, for `/papers status` and metrics. */
export const rateLimitEvents = pgTable(
  'rate_limit_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    source: text('source').notNull(),
    route: text('route'),
    waitMs: integer('wait_ms').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('rate_limit_events_at_idx').on(t.at)],
);

/** Small key/value facts: registered command hash, last start time. */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull().default(0),
});

/** One row per running replica (`paperboy start`), refreshed every few seconds; `/papers status` counts the live ones. */
export const replicas = pgTable(
  'replicas',
  {
    id: text('id').primaryKey(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    /** 'leader' or 'follower' at the last heartbeat. */
    role: text('role').notNull(),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    lastSeenAt: bigint('last_seen_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('replicas_last_seen_idx').on(t.lastSeenAt)],
);

/**
 * Commands each user sent within the rate-limit window (commands/rate-limiter.ts), shared by every
 * replica. No id: rows only ever live one window, and a counter would wrap on a busy install.
 */
export const commandHits = pgTable(
  'command_hits',
  {
    /** `platform:user`. */
    userKey: text('user_key').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('command_hits_user_at_idx').on(t.userKey, t.at), index('command_hits_at_idx').on(t.at)],
);

/** The (category, submission day) pairs the arXiv API backfill has stored: it never asks for one again. */
export const arxivBackfillDays = pgTable(
  'arxiv_backfill_days',
  {
    category: text('category').notNull(),
    /** A UTC day of arXiv's `submittedDate`, YYYY-MM-DD. */
    day: text('day').notNull(),
    papers: integer('papers').notNull().default(0),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.day] })],
);

/**
 * A paper's upvotes as an ingest run saw them, written only when they changed since the paper's
 * previous snapshot (src/trending/). Snapshots older than a month are pruned but for each paper's
 * newest one before the cut, which stays as the baseline of the longest trending window.
 */
export const upvoteSnapshots = pgTable(
  'upvote_snapshots',
  {
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    at: bigint('at', { mode: 'number' }).notNull(),
    upvotes: integer('upvotes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.paperId, t.at] }), index('upvote_snapshots_at_idx').on(t.at)],
);

/** A user's reading list (`/papers saved`, the Save buttons): one row per user and paper. */
export const savedPapers = pgTable(
  'saved_papers',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    savedAt: bigint('saved_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId, t.paperId] })],
);

/**
 * What each user was told about the artifacts of papers they were alerted to (src/alerts/artifact-alerts.ts):
 * one row per (user, paper, kind), told once. delivery_id 0: the baseline (there at the first check, never told).
 */
export const artifactAlerts = pgTable(
  'artifact_alerts',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    paperId: integer('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    /** `checked` (the first check), `github`, `project`, `models`, `datasets`, `spaces`. */
    kind: text('kind').notNull(),
    deliveryId: integer('delivery_id').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId, t.paperId, t.kind] })],
);
