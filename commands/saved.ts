import { z } from 'zod';
import { message, textMessage } from '../src/messages/message.ts';
import { toPaperCard } from '../src/messages/paper-card.ts';
import type { Platform } from '../src/platform.ts';
import { bibtexFile } from '../src/reading-list/bibtex.ts';
import { defineCommand } from './define-command.ts';
import { pageWindow, pagingFor } from './page-window.ts';

/** A reading list beyond this is exported by the CLI in pages of the store; chat shows what fits. */
const MAX_EXPORT = 1_000;
/** The file a Discord reply attaches. */
const BIBTEX_FILE = 'paperboy-saved.bib';
/** BibTeX shown in a chat reply: well inside one Discord embed (4096) and one Slack section (3000). */
const CHAT_BIBTEX_CHARS = 2_600;

export const saved = defineCommand({
  name: 'saved',
  description: 'Your reading list (papers you pressed Save on): only you see it',
  options: z.object({
    format: z.enum(['list', 'bibtex']).default('list').describe('list (cards with Remove buttons) or bibtex (arXiv-style @misc entries)'),
    limit: z.number().int().min(1).max(25).default(5).describe('Papers per page (1-25)'),
  }),
  personal: true,
  examples: ['saved', 'saved format=bibtex'],
  async run({ options, deps, user, channel, page, syntax }) {
    const owner = { platform: user.platform, id: user.id };
    if (options.format === 'bibtex') {
      const { total, papers } = await deps.store.listSavedPapers(owner, { limit: MAX_EXPORT, offset: 0 });
      if (total === 0) return textMessage(emptyText(channel.platform), 'private');
      const whole = bibtexFile(papers);
      // Discord takes the whole list as a file on the reply. Slack cannot attach a file to an
      // ephemeral response: there, as in any chat reply, a code block shows the entries that fit;
      // the console and the CLI print the whole file.
      if (channel.platform === 'discord') {
        const count = `${total} saved ${total === 1 ? 'paper' : 'papers'}`;
        const text = papers.length < total ? `The first ${papers.length} of your ${count} as BibTeX, in the attached ${BIBTEX_FILE}.` : `Your ${count} as BibTeX, in the attached ${BIBTEX_FILE}.`;
        return message({ kind: 'text', visibility: 'private', title: 'Reading list (BibTeX)', text, attachment: { name: BIBTEX_FILE, text: whole }, cardActions: [] });
      }
      const chat = channel.platform !== 'console';
      const shown = chat ? fitEntries(whole, CHAT_BIBTEX_CHARS) : { text: whole, entries: papers.length };
      const note =
        shown.entries < total
          ? `The first ${shown.entries} of your ${total} saved papers as BibTeX (\`paperboy saved --user ${user.id} --platform ${user.platform} --format bibtex\` prints them all):`
          : `Your ${total} saved ${total === 1 ? 'paper' : 'papers'} as BibTeX:`;
      return message({ kind: 'text', visibility: 'private', title: 'Reading list (BibTeX)', text: note, code: shown.text, cardActions: [] });
    }
    const requested = (page ?? 0) * options.limit;
    let result = await deps.store.listSavedPapers(owner, { limit: options.limit, offset: requested });
    if (result.total === 0) return textMessage(emptyText(channel.platform), 'private');
    const window = pageWindow(result.total, options.limit, page);
    if (window.offset !== requested) result = await deps.store.listSavedPapers(owner, { limit: options.limit, offset: window.offset });
    return message({
      kind: 'list',
      visibility: 'private',
      title: `Your reading list (${result.total})`,
      text: '',
      papers: result.papers.map((row) => toPaperCard(row)),
      footer: `Newest saved first. \`${syntax.command('saved', 'format=bibtex')}\` gives them as BibTeX.`,
      paging: pagingFor(result.total, window),
      cardActions: ['remove', 'similar'],
    });
  },
});

/** The console and the CLI show no buttons: there, say where Save is instead of asking to press it. */
function emptyText(platform: Platform): string {
  return platform === 'console'
    ? 'Your reading list is empty. Papers are saved with the Save button under a card on Discord or Slack (the console shows no buttons).'
    : 'Your reading list is empty. Press Save under a paper (in a list, a digest or an alert) to add it.';
}

/** Whole entries (blank-line separated) up to `max` characters. */
function fitEntries(file: string, max: number): { text: string; entries: number } {
  const entries = file.trimEnd().split('\n\n');
  let text = '';
  let count = 0;
  for (const entry of entries) {
    const next = text ? `${text}\n\n${entry}` : entry;
    if (next.length > max && count > 0) break;
    text = next.length > max ? entry.slice(0, max) : next;
    count += 1;
  }
  return { text, entries: count };
}
