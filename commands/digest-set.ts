import { digestOptions } from '../src/digest/digest-options.ts';
import { setDigest } from '../src/digest/set-digest.ts';
import { timeZoneChoices } from '../src/digest/time-zone-name.ts';
import { UserError } from '../src/errors.ts';
import { checkQuery } from './check-query.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { digestFields } from './digest-fields.ts';

export const digestSet = defineCommand({
  name: 'digest set',
  description: "Set up or change this channel's daily digest",
  // The one validation of digest options, shared with setDigest.
  options: digestOptions,
  adminOnly: true,
  examples: ['digest set time=09:00 timezone=Europe/Berlin top=10', 'digest set query="llm OR agents -survey" min_upvotes=5', 'digest set source=arxiv query="cat:cs.CL retrieval OR rag"'],
  autocomplete: {
    timezone({ partial }) {
      const needle = partial.trim().toLowerCase().replace(/\s+/g, '_');
      return timeZoneChoices()
        .filter((zone) => zone.toLowerCase().includes(needle))
        .slice(0, 25)
        .map((zone) => ({ name: zone, value: zone }));
    },
  },
  async run({ options, deps, user, channel, syntax }) {
    if (channel.isDm) throw new UserError('not_in_channel', 'Digests belong to a channel: run this in the channel that should get it.');
    // Empty means every paper; anything else must be a query search would accept.
    if (options.query) checkQuery(options.query, { today: deps.clock.today(), verb: 'filter', syntax });
    const before = await deps.store.getDigest(channel.platform, channel.id);
    const digest = await setDigest(deps, channel, user.id, options);
    const filter = digest.query === '' ? '' : ` matching \`${digest.query}\``;
    return message({
      kind: 'text',
      visibility: 'public',
      title: before && !before.enabled ? 'Daily digest turned back on' : before?.pausedReason ? 'Daily digest resumed' : 'Daily digest saved',
      text: `Every day at ${digest.time} (${digest.timezone}) this channel gets the top ${digest.top} papers${filter} ${coverage[digest.source === 'arxiv' || digest.source === 'all' ? digest.source : 'hf']}.`,
      fields: await digestFields(deps, digest),
      footer: 'See what it would post with /papers digest preview.',
    });
  },
});

const coverage = {
  hf: 'of the previous feed day',
  arxiv: "of arXiv's latest announcement, when there is one it has not posted",
  all: "of the previous feed day, then of arXiv's latest announcement not posted yet",
} as const;
