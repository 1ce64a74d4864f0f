import { RESTEvents, type REST } from 'discord.js';
import type { Deps } from '../../deps.ts';

/**
 * Records every wait @discordjs/rest makes for Discord (shown by /papers status and the metrics):
 * a 429 it answered by waiting `Retry-After`, and a wait it made up front because a bucket or
 * the global limit was used up. The library emits the two through different events.
 */
export function recordRestRateLimits(deps: Pick<Deps, 'store' | 'clock' | 'log'>, rest: REST): void {
  const log = deps.log.child({ module: 'discord', platform: 'discord' });
  const record = (route: string, waitMs: number, what: string) => {
    log.warn({ route, waitMs }, what);
    // Fire and forget: the REST client does not wait for its listeners, and a lost record only
    // leaves a gap in status and metrics.
    deps.store
      .recordRateLimitWait({ source: 'discord', route, waitMs, at: deps.clock.now() })
      .catch((err: unknown) => log.warn({ err }, 'could not record a rate-limit wait'));
  };
  rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    // Retry-After is in seconds, fractional on Discord.
    const seconds = Number(response.headers.get('retry-after') ?? '0');
    record(request.route, Number.isFinite(seconds) ? seconds * 1000 : 0, 'discord answered 429: waiting Retry-After');
  });
  rest.on(RESTEvents.RateLimited, (info) => record(info.route, info.timeToReset, 'discord rate limit reached: waiting'));
}
