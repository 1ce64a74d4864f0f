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

export function generateQueries(options: { seed: number; count: number; vocabulary: Vocabulary; endDate: string }): BenchQuery[] {
  const random = createRandom(`queries:${options.seed}`);
  const v = options.vocabulary;
  return Array.from({ length: options.count }, (): BenchQuery => {
    const kind = pickKind(random);
    // The words of one query come from one topic (fixture paper): they co-occur, as a user's do.
    const topic = random.pick(v.topics);
    const word = () => random.pick(topic.queryWords);
    switch (kind) {
      case 'words': {
        const words = [...new Set(Array.from({ length: random.int(1, 3) }, word))];
        return { kind, text: words.join(' '), match: words.map(quote).join(' AND ') };
      }
      case 'phrase': {
        const phrase = random.pick(v.queryPhrases);
        return { kind, text: `"${phrase}"`, match: quote(phrase) };
      }
      case 'or': {
        const [a, b] = [word(), word()];
        if (a === b) return { kind: 'words', text: a, match: quote(a) };
        return { kind, text: `${a} OR ${b}`, match: `(${quote(a)} OR ${quote(b)})` };
      }
      case 'exclude': {
        const [a, b] = [word(), word()];
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
