import type { App, webApi } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { MAX_HOME_ALERTS } from './limits.ts';
import { recentAlerts } from './recent-alerts.ts';
import { HOME_REMOVE_ACTION, renderHome } from './render-home.ts';
import { AppHomeOpenedEvent, BlockActionBody } from './slack-payloads.ts';

/** Publishes the user's App Home tab (views.publish). Throws what the WebClient throws. */
async function publishHome(deps: Pick<Deps, 'store'>, client: webApi.WebClient, userId: string): Promise<void> {
  const user = { platform: 'slack' as const, id: userId };
  const [watches, alerts] = await Promise.all([deps.store.listWatches(user), recentAlerts(deps.store, userId, MAX_HOME_ALERTS)]);
  await client.views.publish({ user_id: userId, view: renderHome(watches, alerts) });
}

/** app_home_opened → publish; the Remove buttons → store.deleteWatch, then publish again. */
export function registerAppHome(app: App, deps: Deps): void {
  const log = deps.log.child({ module: 'slack' });
  app.event('app_home_opened', async ({ event, client }) => {
    const parsed = AppHomeOpenedEvent.safeParse(event);
    // The Messages tab opens this event too: only the Home tab is ours to draw.
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    try {
      await publishHome(deps, client, parsed.data.user);
    } catch (err) {
      log.error({ err, userId: parsed.data.user }, 'could not publish App Home');
    }
  });

  app.action(HOME_REMOVE_ACTION, async ({ ack, body, client }) => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues }, 'unexpected App Home action payload');
      return;
    }
    const userId = parsed.data.user.id;
    const user = { platform: 'slack' as const, id: userId };
    const watchId = Number(parsed.data.actions[0]?.value);
    try {
      // The button carries the watch id (never shown): it removes exactly the watch it was drawn
      // for, whatever the list looks like now. Undefined: removed meanwhile (another tab,
      // /papers unwatch); the fresh view shows the truth.
      const removed = Number.isSafeInteger(watchId) ? await deps.store.deleteWatch(user, watchId, deps.clock.now()) : undefined;
      if (removed) log.info({ userId, watchId: removed.id }, 'watch removed from App Home');
    } catch (err) {
      log.error({ err, userId }, 'could not remove a watch from App Home');
    }
    try {
      await publishHome(deps, client, userId);
    } catch (err) {
      log.error({ err, userId }, 'could not publish App Home');
    }
  });
}
