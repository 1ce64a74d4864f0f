import type { Query, Term } from './parse-query.ts';

// Spelling and form variants that mean the same paper, in one place for both backends
// (docs/ranking.md, "Variants"):
//
// - SPELLING_FOLDS (index and query): British spellings become American ones in the indexed text
//   and in every query term, so `optimisation` and `optimization` are one word to the index. A
//   fold is a plain substring replacement on the ASCII-lowercased text, letters for letters, so
//   it never changes where words start or end: FTS5's highlight() still marks the paper's own
//   spelling, and the same replacement runs in SQL (SQLite triggers, PostgreSQL's
//   paperboy_fts_text; the migrations spell out foldSql()'s output, a test keeps them equal).
//   Changing the table needs a migration that re-indexes, on both backends.
// - COMPOUNDS (query): `self-supervised`, `self supervised` and `selfsupervised` find each other.
// - ABBREVIATIONS (query): `LLM` also finds "large language model", and the other way round.
// - Compatibility forms (query): a term typed with fullwidth letters (`ＬＬＭ`), a ligature (`ﬁne`)
//   or another compatibility character also finds its NFKC form (`LLM`, `fine`). The index keeps
//   the text as written (FTS5's unicode61 and PostgreSQL's parser fold case and accents, not
//   compatibility forms), so the typed form stays too: it finds a paper whose own text has the
//   ligature. The NFKC form gets the other variants (`ＬＬＭ` also finds "large language model").
// The query-side ones are extra OR alternatives marked `variant`: search ranks a paper found only
// through a variant below one with the words as typed, and the query's key (watch identity) and
// its "Understood as" text ignore them.

/** [British, American] substrings, applied in order to lowercased text. */
export const SPELLING_FOLDS: ReadonlyArray<readonly [string, string]> = [
  ['behaviour', 'behavior'],
  ['colour', 'color'],
  ['rigour', 'rigor'],
  ['neighbour', 'neighbor'],
  ['favour', 'favor'],
  ['labour', 'labor'],
  ['honour', 'honor'],
  ['humour', 'humor'],
  ['vapour', 'vapor'],
  ['flavour', 'flavor'],
  ['endeavour', 'endeavor'],
  ['tumour', 'tumor'],
  ['optimis', 'optimiz'],
  ['generalis', 'generaliz'],
  ['normalis', 'normaliz'],
  ['regularis', 'regulariz'],
  ['tokenis', 'tokeniz'],
  ['visualis', 'visualiz'],
  ['summaris', 'summariz'],
  ['organis', 'organiz'],
  ['recognis', 'recogniz'],
  ['minimis', 'minimiz'],
  ['maximis', 'maximiz'],
  ['characteris', 'characteriz'],
  ['quantis', 'quantiz'],
  ['parameteris', 'parameteriz'],
  ['parametris', 'parametriz'],
  ['categoris', 'categoriz'],
  ['specialis', 'specializ'],
  ['standardis', 'standardiz'],
  ['initialis', 'initializ'],
  ['utilis', 'utiliz'],
  ['vectoris', 'vectoriz'],
  ['randomis', 'randomiz'],
  ['prioritis', 'prioritiz'],
  ['discretis', 'discretiz'],
  ['localis', 'localiz'],
  ['personalis', 'personaliz'],
  ['stabilis', 'stabiliz'],
  ['emphasise', 'emphasize'],
  ['analyse', 'analyze'],
  ['modelling', 'modeling'],
  ['modelled', 'modeled'],
  ['modeller', 'modeler'],
  ['labelling', 'labeling'],
  ['labelled', 'labeled'],
  ['travelling', 'traveling'],
  ['travelled', 'traveled'],
  ['cancelling', 'canceling'],
  ['cancelled', 'canceled'],
  ['signalling', 'signaling'],
  ['tunnelling', 'tunneling'],
  ['channelling', 'channeling'],
  ['centre', 'center'],
  ['fibre', 'fiber'],
  ['defence', 'defense'],
  ['licence', 'license'],
  ['offence', 'offense'],
  ['catalogue', 'catalog'],
  ['dialogue', 'dialog'],
  ['analogue', 'analog'],
  ['artefact', 'artifact'],
  ['judgement', 'judgment'],
  ['ageing', 'aging'],
  ['grey', 'gray'],
  ['aluminium', 'aluminum'],
  ['sceptic', 'skeptic'],
  ['paediatric', 'pediatric'],
  ['anaesthe', 'anesthe'],
];

/** Joined forms written as separate or hyphenated words too. */
const COMPOUNDS: ReadonlyArray<readonly string[]> = [
  ['self', 'supervised'],
  ['semi', 'supervised'],
  ['weakly', 'supervised'],
  ['multi', 'modal'],
  ['multi', 'lingual'],
  ['multi', 'agent'],
  ['multi', 'task'],
  ['multi', 'view'],
  ['cross', 'modal'],
  ['cross', 'lingual'],
  ['pre', 'trained'],
  ['pre', 'training'],
  ['pre', 'train'],
  ['post', 'training'],
  ['fine', 'tuning'],
  ['fine', 'tuned'],
  ['fine', 'tune'],
  ['zero', 'shot'],
  ['few', 'shot'],
  ['real', 'time'],
  ['end', 'to', 'end'],
  ['open', 'source'],
  ['non', 'linear'],
  ['re', 'ranking'],
  ['trade', 'off'],
];

/** Field abbreviations and what they stand for (a plural `LLMs` is read as `LLM`). */
const ABBREVIATIONS: ReadonlyArray<readonly [string, string]> = [
  ['llm', 'large language model'],
  ['vlm', 'vision language model'],
  ['mllm', 'multimodal large language model'],
  ['rl', 'reinforcement learning'],
  ['rlhf', 'reinforcement learning from human feedback'],
  ['vit', 'vision transformer'],
  ['rag', 'retrieval augmented generation'],
  ['nlp', 'natural language processing'],
  ['gnn', 'graph neural network'],
  ['cnn', 'convolutional neural network'],
  ['gan', 'generative adversarial network'],
  ['vae', 'variational autoencoder'],
  ['moe', 'mixture of experts'],
  ['cot', 'chain of thought'],
  ['asr', 'automatic speech recognition'],
  ['tts', 'text to speech'],
  ['nerf', 'neural radiance field'],
  ['sft', 'supervised fine tuning'],
  ['dpo', 'direct preference optimization'],
  ['vqa', 'visual question answering'],
  ['ocr', 'optical character recognition'],
];

/** Matches wherever any fold would apply (the folds are plain lowercase letters). */
const ANY_FOLD = new RegExp(SPELLING_FOLDS.map(([from]) => from).join('|'));

const asciiLowerText = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/** The text as the index sees it: ASCII-lowercased, British spellings made American. */
export function foldSpelling(text: string): string {
  let folded = asciiLowerText(text);
  // Most text holds no British spelling: one regex scan instead of a substring search per fold.
  if (!ANY_FOLD.test(folded)) return folded;
  for (const [from, to] of SPELLING_FOLDS) if (folded.includes(from)) folded = folded.replaceAll(from, to);
  return folded;
}

/** The same fold as one SQL expression over `expression` (PostgreSQL: lower() and replace()). */
export function foldSql(expression: string): string {
  return SPELLING_FOLDS.reduce((sql, [from, to]) => `replace(${sql}, '${from}', '${to}')`, `lower(${expression})`);
}

/** Nested replace() calls per SELECT level in foldSelectSql. */
const FOLD_LEVEL = 18;

/**
 * The same fold for SQLite, as nested SELECTs of at most FOLD_LEVEL replace() calls each: SQLite
 * before 3.46 (the sqlite3 shell of many distributions) parses with a fixed stack that overflows
 * at about 33 nested calls, and a schema it cannot parse makes the whole file unreadable to it.
 * `columns` are folded, `keep` passed through; the result has a column per alias.
 */
export function foldSelectSql(columns: Array<[alias: string, expression: string]>, keep: Array<[alias: string, expression: string]>, from = ''): string {
  const kept = (source: (alias: string, expression: string) => string) => keep.map(([alias, expression]) => `${source(alias, expression)} AS ${alias}`);
  let select = `SELECT ${[...kept((_, expression) => expression), ...columns.map(([alias, expression]) => `lower(${expression}) AS ${alias}`)].join(', ')}${from ? ` FROM ${from}` : ''}`;
  for (let start = 0; start < SPELLING_FOLDS.length; start += FOLD_LEVEL) {
    const folds = SPELLING_FOLDS.slice(start, start + FOLD_LEVEL);
    const fold = (alias: string) => folds.reduce((sql, [british, american]) => `replace(${sql}, '${british}', '${american}')`, alias);
    select = `SELECT ${[...kept((alias) => alias), ...columns.map(([alias]) => `${fold(alias)} AS ${alias}`)].join(', ')} FROM (${select})`;
  }
  return select;
}

/** A folded text and the spellings it folds from (`optimiz` → optimiz, optimis): for substring tests on unfolded text. */
export function unfoldedSpellings(folded: string): string[] {
  const spellings = new Set([folded]);
  for (const [from, to] of SPELLING_FOLDS) if (folded.includes(to)) spellings.add(folded.replaceAll(to, from));
  return [...spellings];
}

// Query side.

/** Search's relevance factor for a paper matching only a variant of the typed words. */
export const VARIANT_WEIGHT = 0.6;

const MAX_VARIANTS = 16;
/** Words compared for variants: folded, and a plural s taken off (`LLMs`, `models`). */
const computeWordKey = (word: string) => {
  const folded = foldSpelling(word).toLowerCase();
  return folded.length > 3 && folded.endsWith('s') && !folded.endsWith('ss') ? folded.slice(0, -1) : folded;
};
/**
 * `compute`, remembered per key and forgotten all at once past 50,000 keys: compiling 100k watches
 * at start-up parses a few thousand distinct words and terms many times over.
 */
function remembered<V>(compute: (key: string) => V): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    let value = known.get(key);
    if (value !== undefined) return value;
    value = compute(key);
    if (known.size >= 50_000) known.clear();
    known.set(key, value);
    return value;
  };
}
const wordKey = remembered(computeWordKey);
const wordsOf = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');

const abbreviationOf = new Map(ABBREVIATIONS.map(([short, long]) => [short, long]));
const joinedCompound = new Map(COMPOUNDS.map((parts) => [parts.join(''), parts]));
/** Word sequences (keys) that have a one-word form: compounds' parts and abbreviations' expansions. */
const sequences: Array<{ keys: string[]; word: string; kind: 'word' | 'phrase' }> = [
  ...COMPOUNDS.map((parts) => ({ keys: parts.map(wordKey), word: parts.join(''), kind: 'word' as const })),
  ...ABBREVIATIONS.map(([short, long]) => ({ keys: wordsOf(long).map(wordKey), word: short, kind: 'word' as const })),
];

/** The sequences by their first key: a word that starts none (nearly every word) needs no scan. */
const sequencesFrom = new Map<string, typeof sequences>();
for (const sequence of sequences) {
  const first = sequence.keys[0] ?? '';
  sequencesFrom.set(first, [...(sequencesFrom.get(first) ?? []), sequence]);
}

const variant = (kind: Term['kind'], text: string): Term => ({ kind, text, variant: true });

// Each distinct term's variants are worked out once; the Term objects are shared between queries,
// as parsed queries are values.
// A typed word's variants and, when it is one word, its key (for runs of words forming a compound):
// one lookup per word.
const wordFacts = remembered((text) => {
  const words = wordsOf(text);
  return { variants: computeTermVariants({ kind: 'word', text }), key: words.length === 1 ? wordKey(words[0] ?? '') : null };
});
const phraseVariants = remembered((text) => computeTermVariants({ kind: 'phrase', text }));
const termVariants = (term: Term): readonly Term[] => (term.kind === 'word' ? wordFacts(term.text).variants : phraseVariants(term.text));

/** Other forms of one typed term (never the term itself). */
function computeTermVariants(term: Term): Term[] {
  const text = term.text.normalize('NFKC');
  const words = wordsOf(text);
  const found: Term[] = text === term.text ? [] : [variant(term.kind, text)];
  if (words.length === 1) {
    const key = wordKey(words[0] ?? '');
    const long = abbreviationOf.get(key);
    if (long) found.push(variant('phrase', long));
    const parts = joinedCompound.get(key) ?? joinedCompound.get(foldSpelling(words[0] ?? ''));
    if (parts) found.push(variant('phrase', parts.join(' ')));
  } else {
    // `self-supervised` (one typed word or a phrase): the joined form, and inside longer phrases
    // each known sequence replaced by its one-word form.
    const keys = words.map(wordKey);
    const matches: Array<{ at: number; sequence: (typeof sequences)[number] }> = [];
    keys.forEach((first, i) => {
      for (const sequence of sequencesFrom.get(first) ?? []) {
        if (i + sequence.keys.length <= keys.length && sequence.keys.every((key, k) => keys[i + k] === key)) matches.push({ at: i, sequence });
      }
    });
    // In the table's order, then by position: the order the variants were always listed in.
    matches.sort((a, b) => sequences.indexOf(a.sequence) - sequences.indexOf(b.sequence) || a.at - b.at);
    for (const { at: i, sequence } of matches) {
      const replaced = [...words.slice(0, i), sequence.word, ...words.slice(i + sequence.keys.length)];
      found.push(variant(replaced.length === 1 ? 'word' : 'phrase', replaced.join(' ')));
    }
    // A hyphenated pair (`self-supervised`, `GPT-4`) is also written joined (`GPT4`).
    if (term.kind === 'word' && /^[\p{L}\p{N}]+-[\p{L}\p{N}]+$/u.test(text) && /\p{L}/u.test(text)) found.push(variant('word', words.join('')));
  }
  return found;
}

const termKey = (term: Term) => `${term.kind}:${wordsOf(term.text).map(wordKey).join(' ')}`;

/** The variants of `terms`, in order (most terms have none: no array is made for them). */
function variantsOf(terms: Term[]): readonly Term[] {
  let found: readonly Term[] = NO_TERMS;
  for (const term of terms) {
    const more = termVariants(term);
    if (more.length > 0) found = found.length === 0 ? more : [...found, ...more];
  }
  return found;
}
const NO_TERMS: readonly Term[] = [];

/** `terms` and the `extra` forms it lacks (`terms` itself when there are none: parsed queries are values). */
function addVariants(terms: Term[], extra: readonly Term[]): Term[] {
  if (extra.length === 0) return terms;
  const seen = new Set(terms.map(termKey));
  const added = extra.filter((term) => !seen.has(termKey(term)) && seen.add(termKey(term)));
  return [...terms, ...added].slice(0, terms.length + MAX_VARIANTS);
}

/**
 * The query with its variants as extra OR alternatives (marked `variant`). Typed words in a row
 * that form a compound or an abbreviation's expansion (`self supervised`, `large language
 * models`) each get the one-word form as an alternative: (a OR ab) AND (b OR ab) is
 * (a AND b) OR ab, so nothing the words found before is lost.
 */
export function withVariants(query: Query): Query {
  const groups = query.groups.map((group) => addVariants(group, variantsOf(group)));
  // Runs of one-word groups, in typed order: each such group's word key (null: not a one-word group).
  const single = query.groups.map((group) => (group.length === 1 && group[0]?.kind === 'word' && !group[0].variant ? wordFacts(group[0].text).key : null));
  const runs: Array<{ start: number; sequence: (typeof sequences)[number] }> = [];
  single.forEach((first, start) => {
    for (const sequence of first === null ? [] : (sequencesFrom.get(first) ?? [])) {
      if (start + sequence.keys.length <= single.length && sequence.keys.every((key, k) => single[start + k] === key)) runs.push({ start, sequence });
    }
  });
  // In the table's order, then by position: the order the variants were always added in.
  runs.sort((a, b) => sequences.indexOf(a.sequence) - sequences.indexOf(b.sequence) || a.start - b.start);
  for (const { start, sequence } of runs) {
    for (let k = 0; k < sequence.keys.length; k += 1) {
      const index = start + k;
      groups[index] = addVariants(groups[index] ?? [], [variant(sequence.kind, sequence.word)]);
    }
  }
  const exclude = addVariants(query.exclude, variantsOf(query.exclude));
  return { ...query, groups, exclude };
}

/** The query as typed: variants removed. */
export function literalQuery(query: Query): Query {
  return {
    ...query,
    groups: query.groups.map((group) => group.filter((term) => !term.variant)).filter((group) => group.length > 0),
    exclude: query.exclude.filter((term) => !term.variant),
  };
}

/** True when `withVariants` added anything. */
export function hasVariants(query: Query): boolean {
  return query.groups.some((group) => group.some((term) => term.variant)) || query.exclude.some((term) => term.variant);
}
