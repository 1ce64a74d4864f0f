import { REST, RESTEvents } from 'discord.js';
import { createDiscordSender } from '../src/platforms/discord/discord-sender.ts';
import { benchDeps, runDelivery, sampleDigest } from './delivery-harness.ts';
import { startRateLimitedDiscord } from './rate-limited-discord.ts';
import { figure, type Figure } from './report.ts';
import { openScratchStore } from './temp-db.ts';
import type { Vocabulary } from './vocabulary.ts';

// Discord: `messages` digests spread over channels (10 each, so one-at-a-time-per-target is not
// what limits), through the real Discord sender on a REST instance configured as start-discord.ts
// configures the client's, to a fake that allows 50 requests in any 1 s window.

const group = 'Delivery';
const limit = 50;
const perChannel = 10;

export async function runDiscordDelivery(options: { seed: number; vocabulary: Vocabulary; messages: number }): Promise<Figure[]> {
  const fake = await startRateLimitedDiscord({ limit, windowMs: 1000 });
  const scratch = openScratchStore('delivery-discord');
  const rest = new REST({ api: fake.apiUrl }).setToken('bench.discord.token');
  try {
    const deps = benchDeps({ DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: 'bench.discord.token', DISCORD_APPLICATION_ID: '100000000000000001' }, scratch.store);
    // As start-discord.ts does: every wait is recorded for /papers status.
    rest.on(RESTEvents.RateLimited, (info) => {
      void deps.store.recordRateLimitWait({ source: 'discord', route: info.route, waitMs: info.retryAfter, at: Date.now() });
    });
    const sender = createDiscordSender(deps, rest);
    const channels = Math.max(1, Math.ceil(options.messages / perChannel));
    const targets = Array.from({ length: channels }, (_, i) => String(300_000_000_000_000_000n + BigInt(i)));
    const run = await runDelivery({
      deps,
      sender,
      targets,
      perTarget: Math.ceil(options.messages / channels),
      message: await sampleDigest(scratch.store, options.seed, options.vocabulary),
      stats: fake.stats,
      // Ideal: messages / 50 s. Generous so a slow sender is measured, not cut off.
      deadlineMs: (options.messages / limit) * 3000 + 30_000,
    });
    const allowed = limit * (Math.floor(run.spanSeconds) + 1);
    const span = Math.max(run.spanSeconds, 1e-3);
    return [
      figure({
        id: 'delivery.discord.rate', group, name: 'Discord: achieved request rate', unit: 'req/s', better: 'higher',
        value: run.accepted / span, baseline: allowed / span, baselineLabel: 'allowed: 50 req/s (any 1 s window) over the same span',
        goal: { text: '≥ 0.9 of allowed', met: run.accepted / allowed >= 0.9 },
        note: `${run.messages} messages to ${channels} channels; ${run.sent} sent, ${run.failed} failed, span ${run.spanSeconds.toFixed(1)} s, wall ${run.wallSeconds.toFixed(1)} s`,
      }),
      figure({
        id: 'delivery.discord.429-after-first', group, name: 'Discord: 429s after the first', unit: '', better: 'lower',
        value: Math.max(0, run.rejected - 1), baseline: run.accepted + run.rejected, baselineLabel: 'requests sent',
        goal: { text: '0', met: run.rejected <= 1 },
      }),
    ];
  } finally {
    // REST keeps timers for its buckets: clear them so the process can exit.
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await scratch.dispose();
    await fake.close();
  }
}
