import { z } from 'zod';
import { message, type Message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { commands } from './index.ts';
import { commandUsage } from './validate-options.ts';

const queryLanguage = [
  'Query language (search, watches, digest filters):',
  '  word word          all words must match (stemmed: rigor finds "rigorous")',
  '  "exact phrase"     the words in this order',
  '  a OR b             either one',
  '  -word              leave out papers with this word',
  '  author:"Jane Doe"  an author;  org:name  an organization',
  '  since:YYYY-MM-DD   feed day on or after;  min:N  at least N upvotes',
  '  cat:cs.CL          arXiv category, primary or cross-listed (cat:cs = the whole archive)',
  '  source:hf          listed on Hugging Face;  source:arxiv  listed on arXiv',
  'On Slack and the console, options are key=value (quote values with spaces: query="diffusion -survey");',
  'key:value works too, but in search, watch and unwatch the query keys',
  'author:, org:, since:, min:, cat: and source: stay part of the query (min:5 means upvotes); other key:value set an option (search limit:5 diffusion).',
].join('\n');

export const help = defineCommand({
  name: 'help',
  description: 'How to use /papers',
  options: z.object({
    command: z.string().trim().max(60).optional().describe('One command to explain, like watch or digest set'),
  }),
  rest: 'command',
  personal: true,
  examples: ['help', 'help watch'],
  // Annotated: `commands` includes this definition, so its type must not depend on the body.
  run({ channel, options }): Message {
    if (options.command) return commandHelp(options.command);
    const lines = commands.map(usageLines);
    // Only the console prompt has these words (chat platforms page with buttons).
    if (channel.platform === 'console') lines.push('next / prev\n    turn the pages of the last list (at this prompt)');
    return message({
      kind: 'help',
      visibility: 'private',
      title: 'paperboy: Hugging Face Daily Papers in chat',
      text: `${lines.join('\n')}\n\n${queryLanguage}`,
      footer: `Examples: ${commands.flatMap((command) => command.examples?.slice(0, 1) ?? []).map((example) => `/papers ${example}`).join(' · ')}`,
    });
  },
});

/** One command (or a group: `digest` gives every digest subcommand): usage, summary, examples. */
function commandHelp(typed: string): Message {
  const name = typed.replace(/^\/?papers\s+/i, '').replace(/\s+/g, ' ').toLowerCase();
  const found = commands.filter((command) => command.name === name || command.name.startsWith(`${name} `));
  if (found.length === 0) {
    const shown = typed.replace(/[\p{Cc}\p{Cf}`]/gu, '').slice(0, 40);
    return message({
      kind: 'error',
      visibility: 'private',
      title: 'Unknown command',
      text: `There is no command \`${shown}\`. Commands: ${commands.map((command) => command.name).join(', ')}.`,
    });
  }
  const lines = found.map((command) => {
    const examples = (command.examples ?? []).map((example) => `    /papers ${example}`).join('\n');
    return `${usageLines(command)}${examples ? `\n  Examples:\n${examples}` : ''}`;
  });
  // The commands that take a query get the query language with them.
  const takesQuery = found.some((command) => ['search', 'watch', 'digest set'].includes(command.name));
  return message({
    kind: 'help',
    visibility: 'private',
    title: `paperboy: ${found.length === 1 ? (found[0]?.name ?? name) : name}`,
    text: takesQuery ? `${lines.join('\n\n')}\n\n${queryLanguage}` : lines.join('\n\n'),
  });
}

/** A command's usage line and, under it, what it does. */
function usageLines(command: (typeof commands)[number]): string {
  const admin = command.adminOnly ? ' — admins only' : '';
  return `${commandUsage(command)}\n    ${command.description}${admin}`;
}
