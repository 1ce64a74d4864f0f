import { readJsonList } from '../papers/read-json-list.ts';
import type { PaperRow } from '../store/store.ts';
import { authorName } from './author-name.ts';
import { citeKey } from './cite-key.ts';

// A reading list as BibTeX, in arXiv's own export style: @misc with eprint, archivePrefix and,
// when arXiv listed the paper, its primary category. Built only from stored fields.

const LITERAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Characters BibTeX (and LaTeX under it) would read as markup, made literal, in one pass. */
function escapeValue(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/[\\{}&%$#_~^]/g, (char) => LITERAL[char] ?? char)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The publication year: arXiv's date, else the id's yymm (new-style ids), else the feed day. */
function yearOf(paper: PaperRow): string | null {
  if (paper.publishedAt !== null) return String(new Date(paper.publishedAt).getUTCFullYear());
  const yymm = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(paper.arxivId);
  if (yymm?.[1]) return `20${yymm[1]}`;
  const feedYear = /^(\d{4})-/.exec(paper.latestFeedDate)?.[1];
  return feedYear && feedYear !== '1900' ? feedYear : null;
}

function bibtexEntry(paper: PaperRow, authors: string[], key: string): string {
  const primary = readJsonList(paper.categories)[0];
  const year = yearOf(paper);
  const fields: Array<[string, string]> = [
    ['title', escapeValue(paper.title)],
    ['author', authors.join(' and ')],
    ...(year ? ([['year', year]] as Array<[string, string]>) : []),
    ['eprint', escapeValue(paper.arxivId)],
    ['archivePrefix', 'arXiv'],
    ...(primary ? ([['primaryClass', escapeValue(primary)]] as Array<[string, string]>) : []),
    ['url', `https://arxiv.org/abs/${paper.arxivId}`],
  ];
  const body = fields.filter(([, value]) => value !== '').map(([name, value]) => `  ${name}={${value}},`);
  return `@misc{${key},\n${body.join('\n')}\n}`;
}

/** Every paper's entry, cite keys made unique (a, b … appended). */
export function bibtexFile(papers: PaperRow[]): string {
  const taken = new Set<string>();
  const entries = papers.map((paper) => {
    const authors = readJsonList(paper.authors)
      .map((author) => authorName(escapeValue(author)))
      .filter((author) => author.bibtex !== '');
    const base = citeKey(authors[0]?.family ?? '', yearOf(paper), paper.title, paper.arxivId);
    // Against every key given so far, suffixed ones included: another paper's own key can be this
    // one's with a letter (`…model` twice, and a title word `modela`).
    let key = base;
    for (let n = 1; taken.has(key); n += 1) key = `${base}${String.fromCharCode(97 + ((n - 1) % 26))}${n > 26 ? n : ''}`;
    taken.add(key);
    return bibtexEntry(paper, authors.map((author) => author.bibtex), key);
  });
  return entries.length > 0 ? `${entries.join('\n\n')}\n` : '';
}
