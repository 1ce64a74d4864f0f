import { runDiscordDelivery } from './delivery-discord.bench.ts';
import { runSlackDelivery } from './delivery-slack.bench.ts';
import { say } from './progress.ts';
import type { Figure } from './report.ts';
import type { Vocabulary } from './vocabulary.ts';

// Delivery figures: Discord's global 50 req/s, then Slack's 1 msg/s per channel. Each platform
// runs on its own fake and scratch database; one failing leaves the other's figures standing.

export async function runDeliveryBench(options: {
  seed: number;
  vocabulary: Vocabulary;
  discordMessages: number;
  slackChannels: number;
  slackPerChannel: number;
}): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [platform, run] of [
    ['discord', () => runDiscordDelivery({ seed: options.seed, vocabulary: options.vocabulary, messages: options.discordMessages })],
    ['slack', () => runSlackDelivery({ seed: options.seed, vocabulary: options.vocabulary, channels: options.slackChannels, perChannel: options.slackPerChannel })],
  ] as const) {
    try {
      figures.push(...(await run()));
    } catch (err) {
      // The table still lists this platform's rows, as "not measured"; the reason is in the log.
      say(`delivery: ${platform} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  return figures;
}
