import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createRandom, type Random } from './random.ts';

// Word material for the synthetic corpus, drawn from the real feed payloads in test/fixtures/*.json.
// The fixtures hold ~30 papers (~1,600 distinct words): text built only from them would make every
// word occur in a third of a million-paper corpus, far denser postings than real arXiv text, so a
// Zipf-distributed tail of coined terms (model names, acronyms, compounds spliced from fixture words)
// stands in for the rare vocabulary real abstracts have (Heaps' law).

const fixturesDir = fileURLToPath(new URL('../test/fixtures', import.meta.url));

const AuthorSchema = z.looseObject({ name: z.string(), hidden: z.boolean().optional() });
const PaperSchema = z.looseObject({
  title: z.string(),
  summary: z.string().default(''),
  authors: z.array(AuthorSchema).default([]),
  organization: z.looseObject({ name: z.string() }).optional(),
  ai_keywords: z.array(z.string()).optional(),
});
const ItemSchema = z.looseObject({ paper: PaperSchema, title: z.string().optional() });

/** Word chains of one fixture paper (a topic), or of all of them (`global`). */
export type Topic = {
  /** Successors of each title word as seen in titles (repeats encode frequency). */
  titleNext: Map<string, string[]>;
  titleStarts: string[];
  /** Successors of each abstract word as seen in abstracts. */
  next: Map<string, string[]>;
  /** Sentence-initial words. */
  starts: string[];
  /** Every abstract token in order (unigram frequencies for restarts). */
  tokens: string[];
  /** Content words of this topic: multi-word queries draw from one topic, as a user's words co-occur. */
  queryWords: string[];
};

export type Vocabulary = {
  /**
   * One topic per fixture paper: a synthetic paper walks mostly its topic's chain, so a topical
   * word ("hallucination") lands in a few percent of papers, as on arXiv, not in all of them.
   */
  topics: Topic[];
  global: Topic;
  /** Coined rare terms, most frequent first (sampled with Zipf). */
  tail: string[];
  /** Content words (lowercase, no stopwords) users would search for. */
  queryWords: string[];
  /** Adjacent content-word pairs from fixture text: phrase queries that do occur. */
  queryPhrases: string[];
  firstNames: string[];
  lastNames: string[];
  /** Organisation handles: the fixtures' own, then coined ones. */
  organizations: string[];
  titleLengths: number[];
  abstractLengths: number[];
  authorCounts: number[];
};

const stopwords = new Set(
  ('a an and are as at be by can for from has have in into is it its of on or our over such than that the their ' +
    'these this those to via we which while with without both also more most not only other same they them then ' +
    'there through using used use been being each how what when where who why will would may might should could ' +
    'across between among within very well however thus further due based new show shows shown while').split(' '),
);

/** Word tokens as FTS would see them, keeping case and inner hyphens/dots (`GPT-4`, `v2.1`). */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:[-.'][\p{L}\p{N}]+)*/gu) ?? [];
}

function readFixturePapers(): Array<z.infer<typeof PaperSchema>> {
  const papers: Array<z.infer<typeof PaperSchema>> = [];
  const fromItem = (item: z.infer<typeof ItemSchema>) => ({ ...item.paper, title: item.title ?? item.paper.title });
  for (const name of readdirSync(fixturesDir).filter((file) => file.endsWith('.json')).sort()) {
    const json: unknown = JSON.parse(readFileSync(join(fixturesDir, name), 'utf8'));
    // Three shapes: a daily list, one list item, or a bare paper (the paper page's data-props).
    const list = z.array(ItemSchema).safeParse(json);
    const item = ItemSchema.safeParse(json);
    const paper = PaperSchema.safeParse(json);
    if (list.success) papers.push(...list.data.map(fromItem));
    else if (item.success) papers.push(fromItem(item.data));
    else if (paper.success) papers.push(paper.data);
  }
  return papers;
}

function addChain(next: Map<string, string[]>, starts: string[], tokens: string[]): void {
  if (tokens.length === 0) return;
  starts.push(tokens[0] ?? '');
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const word = tokens[i] ?? '';
    const list = next.get(word) ?? [];
    list.push(tokens[i + 1] ?? '');
    next.set(word, list);
  }
}

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** A coined term: `ContraMem`, `VisTok-7B`, `LMMR`, `scalformer`, from two or three fixture words. */
function coin(random: Random, words: string[]): string {
  const part = (word: string) => word.slice(0, random.int(3, Math.max(3, Math.min(6, word.length))));
  const a = random.pick(words);
  const b = random.pick(words);
  const style = random.next();
  if (style < 0.4) return capitalise(part(a)) + capitalise(part(b)) + (random.chance(0.3) ? `-${random.int(1, 70)}B` : '');
  if (style < 0.6) return (a[0] ?? 'x').toUpperCase() + (b[0] ?? 'y').toUpperCase() + part(random.pick(words)).slice(0, 2).toUpperCase();
  return part(a).toLowerCase() + part(b).toLowerCase().slice(1);
}

/** Builds the vocabulary once per process; `tailSize` coined terms (deterministic for the seed). */
export function loadVocabulary(seed: number, tailSize = 200_000): Vocabulary {
  const papers = readFixturePapers();
  if (papers.length === 0) throw new Error(`no fixture papers found in ${fixturesDir}`);
  const random = createRandom(`vocabulary:${seed}`);
  const newTopic = (): Topic => ({ titleNext: new Map(), titleStarts: [], next: new Map(), starts: [], tokens: [], queryWords: [] });
  const global = newTopic();
  const topics: Topic[] = [];
  const queryWordSet = new Set<string>();
  const phraseSet = new Set<string>();
  const firstNames: string[] = [];
  const lastNames: string[] = [];
  const organizations = new Set<string>();
  for (const paper of papers) {
    const topic = newTopic();
    topics.push(topic);
    const title = tokenize(paper.title.replace(/\s+/g, ' ').trim());
    for (const target of [topic, global]) addChain(target.titleNext, target.titleStarts, title);
    for (const sentence of paper.summary.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/)) {
      const tokens = tokenize(sentence);
      for (const target of [topic, global]) {
        addChain(target.next, target.starts, tokens);
        target.tokens.push(...tokens);
      }
      tokens.forEach((token, i) => {
        const lower = token.toLowerCase();
        const isContent = (w: string) => w.length >= 4 && !stopwords.has(w) && /^\p{L}/u.test(w);
        if (isContent(lower)) {
          queryWordSet.add(lower);
          if (!topic.queryWords.includes(lower)) topic.queryWords.push(lower);
        }
        const nextWord = tokens[i + 1]?.toLowerCase();
        if (nextWord && isContent(lower) && isContent(nextWord)) phraseSet.add(`${lower} ${nextWord}`);
      });
    }
    for (const author of paper.authors) {
      if (author.hidden) continue;
      const parts = author.name.trim().split(/\s+/);
      if (parts.length < 2) continue;
      firstNames.push(parts[0] ?? '');
      lastNames.push(parts.slice(1).join(' '));
    }
    if (paper.organization) organizations.add(paper.organization.name);
  }
  const queryWords = [...queryWordSet].sort();
  const capitalWords = queryWords.filter((w) => w.length >= 5 && /^\p{L}+$/u.test(w));
  const tail = Array.from({ length: tailSize }, () => coin(random, capitalWords));
  const suffixes = ['Lab', 'AI', 'Research', 'NLP', 'Vision', '', 'Group', 'Labs'];
  for (let i = 0; organizations.size < 3000 && i < 10_000; i += 1) {
    organizations.add(capitalise(random.pick(capitalWords).slice(0, random.int(4, 8))) + random.pick(suffixes));
  }
  return {
    topics: topics.filter((topic) => topic.tokens.length > 50),
    global,
    tail,
    queryWords,
    queryPhrases: [...phraseSet].sort(),
    firstNames: [...new Set(firstNames)].sort(),
    lastNames: [...new Set(lastNames)].sort(),
    organizations: [...organizations],
    titleLengths: papers.map((p) => p.title.replace(/\s+/g, ' ').trim().length),
    abstractLengths: papers.map((p) => p.summary.replace(/\s+/g, ' ').trim().length).filter((n) => n > 200),
    authorCounts: papers.map((p) => p.authors.filter((a) => !a.hidden).length).filter((n) => n > 0),
  };
}
