import { webApi } from '@slack/bolt';
import { createBoltLogger } from '../src/platforms/slack/bolt-logger.ts';
import { recordRateLimits, slackClientOptions } from '../src/platforms/slack/slack-client-options.ts';
import { createSlackSender } from '../src/platforms/slack/slack-sender.ts';
import { benchDeps, runDelivery, sampleDigest } from './delivery-harness.ts';
import { startRateLimitedSlack } from './rate-limited-slack.ts';
import { figure, type Figure } from './report.ts';
import { openScratchStore } from './temp-db.ts';
import type { Vocabulary } from './vocabulary.ts';

// Slack: `channels` channels × `perChannel` digests through the real Slack sender (WebClient with
// the adapter's options) to a fake that allows 1 chat.postMessage per second per channel.

const group = 'Delivery';

export async function runSlackDelivery(options: { seed: number; vocabulary: Vocabulary; channels: number; perChannel: number }): Promise<Figure[]> {
  const fake = await startRateLimitedSlack();
  const scratch = openScratchStore('delivery-slack');
  try {
    const token = 'xoxb-bench-0000000000-0000000000000-benchbenchbenchbenchbench';
    const deps = benchDeps({ SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: 'bench-signing-secret' }, scratch.store);
    const client = new webApi.WebClient(token, slackClientOptions(deps, createBoltLogger(deps.log, [token])));
    recordRateLimits(deps, client);
    const sender = createSlackSender(deps, client, { onAuthFailure: () => undefined });
    const targets = Array.from({ length: options.channels }, (_, i) => `C${String(i).padStart(8, '0')}`);
    const run = await runDelivery({
      deps,
      sender,
      targets,
      perTarget: options.perChannel,
      message: await sampleDigest(scratch.store, options.seed, options.vocabulary),
      stats: fake.stats,
      // Ideal: perChannel seconds. Generous so a slow sender is measured, not cut off.
      deadlineMs: (options.perChannel * 4 + 30) * 1000,
    });
    // Most the limit lets through in the measured span: each channel one now and one per full second.
    const allowed = options.channels * (Math.floor(run.spanSeconds) + 1);
    const span = Math.max(run.spanSeconds, 1e-3);
    const choice = `${options.channels} channels × ${options.perChannel} messages`;
    return [
      figure({
        id: 'delivery.slack.rate', group, name: `Slack: achieved message rate over ${options.channels} channels`, unit: 'msg/s', better: 'higher',
        value: run.accepted / span, baseline: allowed / span, baselineLabel: `allowed: 1 msg/s per channel (${options.channels} channels) over the same span`,
        goal: { text: '≥ 0.9 of allowed', met: run.accepted / allowed >= 0.9 },
        note: `${choice}; ${run.sent} sent, ${run.failed} failed, span ${run.spanSeconds.toFixed(1)} s, wall ${run.wallSeconds.toFixed(1)} s`,
      }),
      figure({
        id: 'delivery.slack.429-after-first', group, name: 'Slack: 429s after the first', unit: '', better: 'lower',
        value: Math.max(0, run.rejected - 1), baseline: run.accepted + run.rejected, baselineLabel: 'chat.postMessage requests sent',
        goal: { text: '0', met: run.rejected <= 1 },
      }),
    ];
  } finally {
    await scratch.dispose();
    await fake.close();
  }
}
