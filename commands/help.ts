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
  options: z.object({}),
  personal: true,
  examples: ['help'],
  // Annotated: `commands` includes this definition, so its type must not depend on the body.
  run({ channel }): Message {
    const lines = commands.map((command) => {
      const admin = command.adminOnly ? ' — admins only' : '';
      return `${commandUsage(command)}\n    ${command.description}${admin}`;
    });
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
