import { z } from 'zod';
import { isValidTimeZone } from '../src/config.ts';
import { getDigest, MAX_MIN_UPVOTES, MAX_TOP, setDigest } from '../src/store/sqlite/digests.ts';
import { timeZoneChoices } from '../src/digest/time-zone-name.ts';
import { UserError } from '../src/errors.ts';
import { message } from '../src/messages/message.ts';
import { defineCommand } from './define-command.ts';
import { digestFields } from './digest-fields.ts';

export const digestSet = defineCommand({
  name: 'digest set',
  description: "Set up or change this channel's daily digest",
  options: z.object({
    time: z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM on a 24-hour clock, like 09:00 or 17:30')
      .optional()
      .meta({ placeholder: 'HH:MM' })
      .describe('Local time of the post, HH:MM (24-hour)'),
    timezone: z
      .string()
      .trim()
      .max(64)
      .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin, America/New_York or UTC')
      .optional()
      .meta({ placeholder: 'Area/City' })
      .describe('IANA time zone, e.g. Europe/Berlin'),
    // Bounds before .int(): zod reports the first failing check, and .int() carries its own
    // safe-integer maximum (9007199254740991), which is not ours.
    top: z.number().min(1).max(MAX_TOP).int().optional().describe(`How many papers to post (1-${MAX_TOP})`),
    min_upvotes: z.number().min(0).max(MAX_MIN_UPVOTES).int().optional().describe(`Leave out papers with fewer upvotes (0-${MAX_MIN_UPVOTES})`),
    query: z.string().trim().max(300).optional().describe('Include/exclude terms in the query language; empty = every paper'),
    post_when_empty: z.boolean().optional().describe('Post a short note when the feed day had no papers'),
  }),
  adminOnly: true,
  examples: ['digest set time=09:00 timezone=Europe/Berlin top=10', 'digest set query="llm OR agents -survey" min_upvotes=5'],
  autocomplete: {
    timezone({ partial }) {
      const needle = partial.trim().toLowerCase().replace(/\s+/g, '_');
      return timeZoneChoices()
        .filter((zone) => zone.toLowerCase().includes(needle))
        .slice(0, 25)
        .map((zone) => ({ name: zone, value: zone }));
    },
  },
  run({ options, deps, user, channel }) {
    if (channel.isDm) throw new UserError('not_in_channel', 'Digests belong to a channel: run this in the channel that should get it.');
    const before = getDigest(deps.db, channel.platform, channel.id);
    const digest = setDigest(deps, channel, user, {
      time: options.time,
      timezone: options.timezone,
      top: options.top,
      minUpvotes: options.min_upvotes,
      query: options.query,
      postWhenEmpty: options.post_when_empty,
    });
    const filter = digest.query === '' ? '' : ` matching \`${digest.query}\``;
    return message({
      kind: 'text',
      visibility: 'public',
      title: before && !before.enabled ? 'Daily digest turned back on' : before?.pausedReason ? 'Daily digest resumed' : 'Daily digest saved',
      text: `Every day at ${digest.time} (${digest.timezone}) this channel gets the top ${digest.top} papers${filter} of the previous feed day.`,
      fields: digestFields(deps, digest),
      footer: 'See what it would post with /papers digest preview.',
    });
  },
});
