import { authorName } from './generate-corpus.ts';
import { createRandom, type Random } from './random.ts';
import type { Vocabulary } from './vocabulary.ts';

// A seeded mix of query-language queries, each with the raw FTS5 expression for the same terms
// (the baseline). Words are the content words of one fixture paper, so common words ("models",
// "language") are as likely as topical ones, as in real use. Every query has at least one FTS term;
// filters with no FTS equivalent (org:, since:, min:) are left out of the baseline expression.

export type BenchQuery = {
  kind: 'words' | 'phrase' | 'or' | 'exclude' | 'author' | 'org' | 'since' | 'min';
  /** Query-language text, as a user types it. */
  text: string;
  /** FTS5 MATCH expression for the same terms, every term quoted. */
  match: string;
};

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

const kinds: Array<[BenchQuery['kind'], number]> = [
  ['words', 0.4],
  ['phrase', 0.12],
  ['or', 0.1],
  ['exclude', 0.1],
  ['author', 0.08],
  ['org', 0.07],
  ['since', 0.08],
  ['min', 0.05],
];

function pickKind(random: Random): BenchQuery['kind'] {
  let u = random.next();
  for (const [kind, share] of kinds) {
    if (u < share) return kind;
    u -= share;
  }
  return 'words';
}

/**
 * Per topic, its topical words (in at most 2 of the fixture papers) and phrases holding one. A
 * watch is saved on a subject ("diffusion", "state space"), not on "propose" or "results", which a
 * search may well contain.
 */
function topicalVocabulary(v: Vocabulary): Array<{ words: string[]; phrases: string[] }> {
  const df = new Map<string, number>();
  for (const topic of v.topics) for (const word of topic.queryWords) df.set(word, (df.get(word) ?? 0) + 1);
  const topical = (word: string) => (df.get(word) ?? 99) <= 2;
  return v.topics.map((topic) => {
    const words = topic.queryWords.filter(topical);
    const content = new Set(topic.queryWords);
    const phrases = new Set<string>();
    const tokens = topic.tokens.map((t) => t.toLowerCase());
    tokens.forEach((token, i) => {
      const next = tokens[i + 1];
      if (next && content.has(token) && content.has(next) && token !== next && (topical(token) || topical(next))) phrases.add(`${token} ${next}`);
    });
    return { words: words.length > 0 ? words : topic.queryWords, phrases: [...phrases] };
  });
}

/** `style: 'watch'` draws words and phrases from the topical vocabulary and never adds since:. */
export function generateQueries(options: { seed: number; count: number; vocabulary: Vocabulary; endDate: string; style?: 'search' | 'watch' }): BenchQuery[] {
  const random = createRandom(`queries:${options.style ?? 'search'}:${options.seed}`);
  const v = options.vocabulary;
  const watch = options.style === 'watch';
  const topical = watch ? topicalVocabulary(v) : [];
  return Array.from({ length: options.count }, (): BenchQuery => {
    let kind = pickKind(random);
    if (watch && kind === 'since') kind = 'words';
    // The words of one query come from one topic (fixture paper): they co-occur, as a user's do.
    const topicIndex = random.int(0, v.topics.length - 1);
    const topic = v.topics[topicIndex] ?? v.global;
    const subject = topical[topicIndex];
    const word = () => random.pick(subject?.words ?? topic.queryWords);
    const phrase = () => (subject && subject.phrases.length > 0 ? random.pick(subject.phrases) : random.pick(v.queryPhrases));
    switch (kind) {
      case 'words': {
        const words = [...new Set(Array.from({ length: random.int(1, 3) }, word))];
        return { kind, text: words.join(' '), match: words.map(quote).join(' AND ') };
      }
      case 'phrase': {
        const text = phrase();
        return { kind, text: `"${text}"`, match: quote(text) };
      }
      case 'or': {
        const [a, b] = [word(), word()];
        if (a === b) return { kind: 'words', text: a, match: quote(a) };
        return { kind, text: `${a} OR ${b}`, match: `(${quote(a)} OR ${quote(b)})` };
      }
      case 'exclude': {
        // What is excluded may be any word of the topic: "diffusion -survey".
        const [a, b] = [word(), random.pick(topic.queryWords)];
        if (a === b) return { kind: 'words', text: a, match: quote(a) };
        return { kind, text: `${a} -${b}`, match: `${quote(a)} NOT ${quote(b)}` };
      }
      case 'author': {
        // Zipf over the generator's author pool: prolific authors are searched more, and exist.
        const name = authorName(v, random.zipf(5000));
        const withWord = random.chance(0.5) ? word() : null;
        const authorMatch = `authors : ${quote(name)}`;
        return withWord
          ? { kind, text: `author:"${name}" ${withWord}`, match: `${authorMatch} AND ${quote(withWord)}` }
          : { kind, text: `author:"${name}"`, match: authorMatch };
      }
      case 'org': {
        const org = v.organizations[random.zipf(50)] ?? 'MHUGLab';
        const w = word();
        return { kind, text: `org:${org} ${w}`, match: quote(w) };
      }
      case 'since': {
        const days = random.int(7, 365);
        const since = new Date(Date.parse(`${options.endDate}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
        const words = [...new Set(Array.from({ length: random.int(1, 2) }, word))];
        return { kind, text: `${words.join(' ')} since:${since}`, match: words.map(quote).join(' AND ') };
      }
      case 'min': {
        const w = word();
        return { kind, text: `${w} min:${random.pick([5, 10, 20, 50])}`, match: quote(w) };
      }
    }
  });
}
