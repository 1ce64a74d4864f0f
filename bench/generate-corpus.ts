import { addDays } from '../src/clock.ts';
import type { FeedPaper } from '../src/papers/feed-paper.ts';
import { createRandom, type Random } from './random.ts';
import { loadVocabulary, type Topic, type Vocabulary } from './vocabulary.ts';

// A seeded synthetic Daily Papers history: feed days oldest first, each with the papers a real
// ingest of that day would upsert. Shapes follow the fixtures: ~110 papers on weekdays and a few on
// weekends, fixture title/abstract/author-count lengths, Zipf-distributed authors and organisations,
// log-normal (long-tailed) upvotes, and ~3% of a day's papers shown again the next day (the feed
// does that; it exercises the update path).

export type CorpusDay = { feedDate: string; papers: FeedPaper[] };

export type CorpusOptions = {
  seed: number;
  /** Distinct papers in the whole corpus. */
  size: number;
  /** Last feed day of the corpus. Fixed (not today) so a seed always gives the same corpus. */
  endDate?: string;
  vocabulary?: Vocabulary;
};

export const defaultEndDate = '2026-08-31';
/** Distinct author names to draw from: about one per three papers at 1M, like arXiv's long tail. */
const authorPoolSize = 300_000;
const repeatShare = 0.03;

/** Papers first seen on each day, oldest first, with the first day of the corpus. */
export function planDays(seed: number, size: number, endDate = defaultEndDate): { startDate: string; counts: number[] } {
  const random = createRandom(`days:${seed}`);
  const counts: number[] = [];
  let total = 0;
  // Walk back from the end day so the corpus always ends on `endDate`, whatever its size.
  for (let day = endDate; total < size; day = addDays(day, -1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const wanted = weekend ? random.int(0, 12) : Math.round(Math.min(220, Math.max(25, 110 + 30 * random.normal())));
    const count = Math.min(wanted, size - total);
    counts.push(count);
    total += count;
  }
  counts.reverse();
  return { startDate: addDays(endDate, -(counts.length - 1)), counts };
}

/** Yields every feed day of the corpus, oldest first. Deterministic for (seed, size, endDate). */
export function* generateCorpus(options: CorpusOptions): Generator<CorpusDay> {
  const vocabulary = options.vocabulary ?? loadVocabulary(options.seed);
  const { startDate, counts } = planDays(options.seed, options.size, options.endDate);
  const random = createRandom(`corpus:${options.seed}`);
  const monthCounters = new Map<string, number>();
  let previous: FeedPaper[] = [];
  for (let i = 0; i < counts.length; i += 1) {
    const feedDate = addDays(startDate, i);
    const fresh = Array.from({ length: counts[i] ?? 0 }, () => generatePaper(random, vocabulary, feedDate, monthCounters));
    const repeats = previous
      .filter(() => random.chance(repeatShare))
      .map((paper) => ({ ...paper, upvotes: paper.upvotes + random.int(0, 20) }));
    const papers = [...fresh, ...repeats].sort((a, b) => b.upvotes - a.upvotes);
    previous = fresh;
    yield { feedDate, papers };
  }
}

/** One paper first shown on `feedDate`. Exported for the ingest and watch workloads (new papers). */
export function generatePaper(random: Random, vocabulary: Vocabulary, feedDate: string, monthCounters: Map<string, number>): FeedPaper {
  const published = Date.parse(`${feedDate}T00:00:00Z`) - random.int(1, 4) * 86_400_000 + random.int(0, 86_399) * 1000;
  const month = new Date(published).toISOString().slice(2, 7).replace('-', '');
  const serial = (monthCounters.get(month) ?? random.int(0, 2000)) + 1;
  monthCounters.set(month, serial);
  const arxivId = `${month}.${String(serial).padStart(5, '0')}`;
  const upvotes = Math.min(5000, Math.floor(Math.exp(1.6 + 1.3 * random.normal())));
  const hasRepo = random.chance(0.45);
  const organization = random.chance(0.55) ? vocabulary.organizations[random.zipf(vocabulary.organizations.length)] ?? null : null;
  const topic = random.pick(vocabulary.topics);
  const abstract = generateText(random, vocabulary, topic, 'abstract', scaledLength(random, vocabulary.abstractLengths));
  const hasAi = random.chance(0.4);
  return {
    arxivId,
    title: generateTitle(random, vocabulary, topic),
    abstract,
    authors: generateAuthors(random, vocabulary),
    organization,
    publishedAt: published,
    upvotes,
    numComments: random.chance(0.7) ? Math.floor((upvotes / 8) * random.next() * 2) : null,
    githubRepo: hasRepo ? `https://github.com/${(organization ?? random.pick(vocabulary.lastNames)).replace(/\W+/g, '')}/${vocabulary.tail[random.zipf(vocabulary.tail.length)] ?? 'code'}` : null,
    githubStars: hasRepo && random.chance(0.8) ? Math.floor(Math.exp(3 + 1.8 * random.normal())) : null,
    projectPage: random.chance(0.25) ? `https://${arxivId.replace('.', '-')}.github.io/` : null,
    aiSummary: hasAi ? generateText(random, vocabulary, topic, 'abstract', random.int(120, 260)) : null,
    aiKeywords: hasAi ? Array.from({ length: random.int(4, 9) }, () => random.pick(vocabulary.queryPhrases)) : null,
    thumbnail: random.chance(0.9) ? `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${arxivId}.png` : null,
  };
}

/** A fixture length scaled by ±25%: keeps the fixtures' spread without copying it exactly. */
function scaledLength(random: Random, lengths: number[]): number {
  return Math.round(random.pick(lengths) * (0.75 + random.next() * 0.5));
}

function generateTitle(random: Random, vocabulary: Vocabulary, topic: Topic): string {
  const target = scaledLength(random, vocabulary.titleLengths);
  // "VideoLLaMA 2: Advancing …" — a named method before a colon, as in many real titles.
  const named = random.chance(0.3) ? `${vocabulary.tail[random.zipf(vocabulary.tail.length)] ?? 'Model'}: ` : '';
  const body = generateText(random, vocabulary, topic, 'title', Math.max(15, target - named.length));
  return (named + body).slice(0, 300);
}

/**
 * Walks the topic's word-successor chain until `targetChars`, restarting at a random word now and
 * then (so fixture sentences are not copied whole; 15% of restarts leave the topic) and mixing in
 * tail terms (rare vocabulary).
 */
function generateText(random: Random, vocabulary: Vocabulary, topic: Topic, kind: 'title' | 'abstract', targetChars: number): string {
  const { global } = vocabulary;
  const tailShare = kind === 'title' ? 0.06 : 0.1;
  const successorsOf = (word: string) =>
    (kind === 'title' ? topic.titleNext.get(word) : undefined) ?? topic.next.get(word) ?? global.next.get(word);
  const restartWord = () => random.pick(random.chance(0.85) ? topic.tokens : global.tokens);
  const sentenceStart = () => random.pick(kind === 'title' && random.chance(0.5) ? topic.titleStarts : topic.starts);
  const parts: string[] = [];
  let length = 0;
  let word = sentenceStart();
  let sentenceWords = 0;
  while (length < targetChars) {
    const token = random.chance(tailShare) ? (vocabulary.tail[random.zipf(vocabulary.tail.length)] ?? word) : word;
    const capital = kind === 'abstract' && sentenceWords === 0;
    parts.push(capital ? token.charAt(0).toUpperCase() + token.slice(1) : token);
    length += token.length + 1;
    sentenceWords += 1;
    const successors = successorsOf(word);
    const restart = !successors || random.chance(0.08);
    if (kind === 'abstract' && (sentenceWords > 28 || (restart && sentenceWords > 8))) {
      parts[parts.length - 1] += '.';
      sentenceWords = 0;
      word = sentenceStart();
      continue;
    }
    word = restart || !successors ? restartWord() : random.pick(successors);
  }
  const text = parts.join(' ');
  return kind === 'abstract' && !text.endsWith('.') ? `${text}.` : text;
}

function generateAuthors(random: Random, vocabulary: Vocabulary): string[] {
  const count = random.chance(0.03) ? random.int(12, 40) : random.pick(vocabulary.authorCounts.filter((n) => n <= 11));
  const names = new Set<string>();
  for (let i = 0; i < count * 2 && names.size < count; i += 1) names.add(authorName(vocabulary, random.zipf(authorPoolSize)));
  return [...names];
}

/** Author number `rank` of the pool: fixture names first, then first × spliced last names. */
export function authorName(vocabulary: Vocabulary, rank: number): string {
  const { firstNames, lastNames } = vocabulary;
  const h = Math.imul(rank + 1, 2654435761) >>> 0;
  const first = firstNames[h % firstNames.length] ?? 'Ada';
  if (rank < lastNames.length) return `${first} ${lastNames[rank] ?? 'Lovelace'}`;
  const a = lastNames[(h >>> 8) % lastNames.length] ?? 'Love';
  const b = lastNames[(h >>> 16) % lastNames.length] ?? 'lace';
  const last = a.slice(0, Math.max(2, Math.ceil(a.length / 2))) + b.slice(Math.floor(b.length / 2)).toLowerCase();
  return `${first} ${last}`;
}

/**
 * Fresh papers after the corpus (ids in months the corpus never reaches): the "new papers" of the
 * ingest-day and watch-matching workloads. `days` feed days of `perDay` papers, from `firstDate`.
 */
export function generateNewDays(options: { seed: number; days: number; perDay: number; firstDate: string; vocabulary: Vocabulary }): CorpusDay[] {
  if (options.firstDate <= addDays(defaultEndDate, 5)) throw new Error('new days must start well after the corpus, or arXiv ids could collide');
  const random = createRandom(`new:${options.seed}:${options.firstDate}`);
  const monthCounters = new Map<string, number>();
  return Array.from({ length: options.days }, (_, i) => {
    const feedDate = addDays(options.firstDate, i);
    return { feedDate, papers: Array.from({ length: options.perDay }, () => generatePaper(random, options.vocabulary, feedDate, monthCounters)) };
  });
}
