import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandChannel, CommandDefinition } from '../../commands/define-command.ts';
import { dispatchCommand } from '../../commands/dispatch.ts';
import { commands } from '../../commands/index.ts';
import { optionSpecs, type OptionSpec } from '../../commands/option-specs.ts';
import { parseCommandText } from '../../commands/parse-command-text.ts';
import { MessageSchema, type Message } from '../../src/messages/message.ts';
import { aPaper } from '../support/builders.ts';
import { testDeps, type TestDeps } from '../support/test-deps.ts';
import { discordProblems, slackProblems } from '../support/platform-limits.ts';

// Hostile text in every option of every /papers command (commands/index.ts), as Discord sends
// it (one value per option) and as Slack sends it (one line, parsed by parseCommandText). Every
// reply must be a valid Message (dispatchCommand never throws, never hits "Something went
// wrong"), fit Discord's and Slack's limits once rendered, and be unable to ping anyone. The
// database must come out with its tables and papers intact: hostile text is data, never SQL.
//
// Totals: at least 10,000 generated strings per option kind (free text, integer, yes/no,
// choice) through dispatchCommand, plus 4,000 Slack command lines through parseCommandText.

const pieces = [
  '@everyone', '@here', '<!channel>', '<!here>', '<!everyone>', '<!subteam^S0123>', '<@123>', '<@U0123ABC>', '<@&456>', '<#C0123>', '<#123>',
  '](javascript:alert(1))', '[click](javascript:alert(1))', '<javascript:alert(1)|x>', '<https://evil.example|ok>', 'https://evil.example/a_b*c',
  "'; DROP TABLE papers; --", "' OR '1'='1", '" OR 1=1 --', 'UNION SELECT * FROM users', '%', '_', '\\', '$1', '?', ':name',
  '**bold**', '__under__', '~~gone~~', '`code`', '```', '> quote', '# Heading', '- item', '1. item', '||spoiler||', '*', '_', '~',
  '\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2069', '\u200b', '\u200c', '\u200d', '\ufeff', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\r\n', '\n', '\t',
  '&amp;', '&lt;', '&gt;', '<', '>', '&', '"', "'", '“smart”', 'NEAR(', 'OR', 'AND', 'NOT', '-', '(', ')', 'author:"', 'org:', 'since:2026-01-01', 'min:5',
  'diffusion', 'model', 'x=1', 'time=25:00', 'tz=Mars/Base', 'top=-1', 'limit=999', 'query="a b"', 'post_when_empty', '09:00', 'Europe/Berlin',
  '👩‍👩‍👧‍👦', '🚀', '\ud800', '\udfff', 'é', 'e\u0301', '深度学习', 'العربية', 'עברית',
  '0', '1', '5', '25', '26', '-1', '1e309', '0x10', ' 7 ', '٣', '５', 'NaN', 'Infinity', '9007199254740993', 'true', 'false', 'yes', 'no', 'upvotes', 'new',
];

const piece = fc.constantFrom(...pieces);
/** Mostly mixtures of the pieces above and random text; sometimes raw binary; sometimes ~10 kB. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(fc.oneof(piece, piece, fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 10 }).map((p) => p.join('')) },
  { weight: 3, arbitrary: piece },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.tuple(piece, fc.integer({ min: 9_000, max: 10_240 })).map(([p, n]) => p.repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n)) },
);

type Kind = 'text' | 'integer' | 'boolean' | 'choice';
function kindOf(spec: OptionSpec): Kind {
  if (spec.choices) return 'choice';
  if (spec.type === 'boolean') return 'boolean';
  if (spec.type === 'integer' || spec.type === 'number') return 'integer';
  return 'text';
}

const targets = commands.flatMap((command) => optionSpecs(command.options).map((spec) => ({ command: command as CommandDefinition, spec, kind: kindOf(spec) })));
const kinds: Kind[] = ['text', 'integer', 'boolean', 'choice'];
const STRINGS_PER_KIND = 10_000;
/**
 * Runs per property (each run fuzzes one option and, half the time, the command's others too):
 * chosen so every kind gets past STRINGS_PER_KIND in total while the file stays under a minute.
 */
const runsPerKind: Record<Kind, number> = { text: 4_500, integer: 3_500, boolean: 8_600, choice: 9_600 };
const SLACK_LINES = 4_000;

const channels: CommandChannel[] = [
  { platform: 'discord', id: '300000000000000002', workspaceId: 'G1', isDm: false },
  { platform: 'slack', id: 'C0FUZZ', workspaceId: 'T0FUZZ', isDm: false },
  { platform: 'discord', id: 'dm:1', isDm: true },
];

const slackChannel: CommandChannel = { platform: 'slack', id: 'C0FUZZ', workspaceId: 'T0FUZZ', isDm: false };

let deps: TestDeps;
let userCounter = 0;
const generated: Record<Kind | 'slack line', number> = { text: 0, integer: 0, boolean: 0, choice: 0, 'slack line': 0 };
const failures: string[] = [];
let tablesBefore: unknown[] = [];

beforeAll(async () => {
  // A budget no fuzz run reaches: the clock moves one second per command below.
  deps = testDeps({ env: { COMMAND_RATE_LIMIT: '10000', MAX_WATCHES_PER_USER: '1000', LOG_LEVEL: 'fatal' }, now: '2026-09-01T10:00:00Z' });
  // Feed text can be hostile too: these come back in search, today, paper and digest previews.
  await deps.store.upsertPapers('2026-08-31', [
    aPaper({ arxivId: '2608.00001', title: '@everyone <!channel> <@123> diffusion **now**', abstract: 'See [x](javascript:alert(1)) and <script>. \'; DROP TABLE papers; --', authors: ['<@U1>', '@here'], organization: '<!subteam^S1>', upvotes: 50 }),
    aPaper({ arxivId: '2608.00002', title: `Diffusion ${'\u202e'.repeat(3)} model ${'x'.repeat(400)}`, abstract: 'y '.repeat(3000), githubRepo: 'javascript:alert(1)', projectPage: 'https://ok.example/a|b>c', upvotes: 7 }),
  ], deps.clock.now());
  // Long titles, summaries and author lists, so that lists of 5 to 25 cards press on every size limit.
  const long = (i: number) =>
    aPaper({
      title: `Model ${i} <@${i}> | diffusion ${'*wide* _title_ '.repeat(18)}`,
      abstract: `${'Scaling diffusion models for [video](javascript:x) <!here>. '.repeat(40)}`,
      aiSummary: `${'An AI summary that goes on @everyone. '.repeat(30)}`,
      authors: Array.from({ length: 30 }, (_, a) => `Author ${a} <@${a}>`),
      organization: `Org ${'x'.repeat(120)}`,
      githubRepo: `https://github.com/org/repo-${i}`,
      githubStars: i * 10,
      upvotes: i,
    });
  await deps.store.upsertPapers('2026-09-01', Array.from({ length: 30 }, (_, i) => long(i)), deps.clock.now());
  tablesBefore = deps.db.$client.prepare("SELECT type, name FROM sqlite_master ORDER BY name").all();
});

afterAll(() => {
  console.info(`hostile input: generated strings ${JSON.stringify(generated)}`);
});

/** One command through the dispatcher, rendered for both platforms; problems are collected. */
async function check(name: string, rawOptions: Record<string, unknown>, isAdmin: boolean, channel: CommandChannel): Promise<void> {
  userCounter += 1;
  deps.clock.advance(1_000);
  const user = { platform: channel.platform, id: `U-fuzz-${userCounter % 500}` };
  let reply: Message;
  try {
    reply = await dispatchCommand(deps, { name, rawOptions, user, channel, isAdmin });
  } catch (err) {
    failures.push(`${name} ${JSON.stringify(rawOptions).slice(0, 200)}: threw ${String(err)}`);
    throw err;
  }
  const problems = [
    ...(MessageSchema.safeParse(reply).success ? [] : ['not a valid Message']),
    ...(/Something went wrong/.test(reply.text) ? [`internal error: ${reply.text}`] : []),
    ...discordProblems(reply).map((p) => `discord: ${p}`),
    ...slackProblems(reply).map((p) => `slack: ${p}`),
  ];
  if (problems.length > 0) {
    const report = `${name} ${JSON.stringify(rawOptions).slice(0, 300)} → ${problems.join('; ')}`;
    failures.push(report);
    throw new Error(report);
  }
}

describe('hostile input in every command option', () => {
  it.each(kinds)('%s options: hostile values through dispatchCommand, rendered within both platforms’ limits, nothing can ping', async (kind) => {
    const ofKind = targets.filter((target) => target.kind === kind);
    expect(ofKind.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ofKind),
        hostile,
        fc.array(hostile, { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom(...channels),
        async (target, value, others, isAdmin, channel) => {
          // The fuzzed option, plus hostile values in the command's other options half the time.
          const rawOptions: Record<string, unknown> = { [target.spec.name]: value };
          generated[kind] += 1;
          optionSpecs(target.command.options).forEach((spec, i) => {
            if (spec.name === target.spec.name || (!spec.required && i % 2 === userCounter % 2)) return;
            rawOptions[spec.name] = others[i % others.length];
            generated[kindOf(spec)] += 1;
          });
          await check(target.command.name, rawOptions, isAdmin, channel);
        },
      ),
      { numRuns: runsPerKind[kind], seed: 4242 + kinds.indexOf(kind) },
    );
  }, 120_000);

  it('4,000 hostile Slack command lines through parseCommandText, then dispatched and rendered', async () => {
    const names = commands.map((command) => command.name);
    const line = fc.tuple(fc.constantFrom(...names, ''), fc.array(fc.oneof(hostile, fc.constantFrom(...targets.map((t) => `${t.spec.name}=`)).chain((key) => hostile.map((v) => `${key}${v}`))), { maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(line, fc.boolean(), async ([name, words], isAdmin) => {
        const text = [name, ...words].join(' ');
        generated['slack line'] += 1;
        let parsed: ReturnType<typeof parseCommandText>;
        try {
          parsed = parseCommandText(text);
        } catch (err) {
          failures.push(`parseCommandText threw on ${JSON.stringify(text).slice(0, 200)}: ${String(err)}`);
          throw err;
        }
        if ('error' in parsed) {
          // The parser's own answer is shown as an error reply: it must render safely too.
          expect(parsed.error.length).toBeGreaterThan(0);
          const reply: Message = { kind: 'error', visibility: 'private', text: parsed.error, papers: [], fields: [] };
          const problems = [...discordProblems(reply), ...slackProblems(reply)];
          expect(problems, text).toEqual([]);
          return;
        }
        await check(parsed.name, parsed.rawOptions, isAdmin, slackChannel);
      }),
      { numRuns: SLACK_LINES, seed: 4343 },
    );
  }, 120_000);

  it('generated at least 10,000 strings per option kind, and left the database as it was: every table there, the papers untouched', () => {
    expect(failures).toEqual([]);
    for (const kind of kinds) expect(generated[kind], kind).toBeGreaterThanOrEqual(STRINGS_PER_KIND);
    expect(deps.db.$client.prepare("SELECT type, name FROM sqlite_master ORDER BY name").all()).toEqual(tablesBefore);
    expect(deps.db.$client.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(32);
    expect(deps.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    // Hostile watch text was stored as typed (data, not SQL).
    const stored = deps.db.$client.prepare("SELECT count(*) FROM watches WHERE query LIKE '%DROP TABLE%'").pluck().get();
    expect(Number(stored)).toBeGreaterThan(0);
  });
});
