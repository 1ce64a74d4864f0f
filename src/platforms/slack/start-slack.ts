import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { PermanentError } from '../../errors.ts';
import type { Sender } from '../../platform.ts';
import { createAdminCheck } from './admin-check.ts';
import { registerAppHome } from './app-home.ts';
import { resumeDigestsOnAccess } from './resume-on-access.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { mapSlackError, slackErrorCode } from './map-slack-error.ts';
import { registerCardActions } from './card-actions.ts';
import { registerPageActions } from './page-actions.ts';
import { createSlackSender } from './slack-sender.ts';
import { recordRateLimits, slackClientOptions } from './slack-client-options.ts';
import { registerSlashCommand } from './slash-command.ts';

export type SlackAdapter = {
  sender: Sender;
  /** Stops receiving (Socket Mode connection or HTTP server). Safe to call twice. */
  stop(): Promise<void>;
  mode: 'socket' | 'http';
  /** The HTTP receiver's port (HTTP mode only), e.g. when PORT=0. */
  port: number | null;
};

type SlackOptions = {
  /** Interface the HTTP receiver listens on (default: all). */
  host?: string;
};

/**
 * Starts the Slack adapter: Socket Mode when SLACK_APP_TOKEN is set (no public URL needed),
 * else Bolt's HTTP receiver on PORT at /slack/events, verified with SLACK_SIGNING_SECRET.
 * Throws PermanentError (reason `auth`) when Slack refuses the bot token, so the caller can keep
 * the other platforms running.
 */
export async function startSlack(deps: Deps, options: SlackOptions = {}): Promise<SlackAdapter> {
  const { config } = deps;
  const log = deps.log.child({ module: 'slack' });
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new PermanentError('SLACK_BOT_TOKEN is not set', { reason: 'auth' });
  const secrets = [token, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET];
  const logger = createBoltLogger(log, secrets);
  const clientOptions = slackClientOptions(deps, logger);

  // Our own auth.test first: a bad token is one clear error here, not an unhandled rejection
  // inside Bolt. Its answer also spares Bolt its own auth.test call.
  const client = new webApi.WebClient(token, clientOptions);
  recordRateLimits(deps, client);
  let identity: webApi.AuthTestResponse;
  try {
    identity = await client.auth.test();
  } catch (err) {
    throw mapSlackError(err, 'channel');
  }

  const socketMode = config.SLACK_APP_TOKEN !== undefined;
  const app = new App({
    token,
    botId: identity.bot_id,
    botUserId: identity.user_id,
    logger,
    clientOptions,
    ...(socketMode
      ? {
          socketMode: true,
          appToken: config.SLACK_APP_TOKEN,
          // The Socket Mode client may retry network failures itself: it reconnects for a living.
          installerOptions: { clientOptions: { slackApiUrl: config.SLACK_API_URL } },
        }
      : { signingSecret: config.SLACK_SIGNING_SECRET, endpoints: '/slack/events' }),
  });
  recordRateLimits(deps, app.client);
  app.error(async (err) => {
    log.error({ err }, 'unhandled error in a Slack listener');
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.stop().catch((err: unknown) => log.warn({ err }, 'Slack did not stop cleanly'));
  };

  registerSlashCommand(app, deps, createAdminCheck(deps, app.client));
  registerPageActions(app, deps);
  registerCardActions(app, deps);
  registerAppHome(app, deps);
  if (identity.user_id) resumeDigestsOnAccess(app, deps, identity.user_id);

  const sender = createSlackSender(deps, client, {
    onAuthFailure(err) {
      log.error({ err }, 'Slack refused the bot token: Slack is stopped (other platforms keep running); set a valid SLACK_BOT_TOKEN and restart');
      void stop();
    },
  });

  let port: number | null = null;
  try {
    if (socketMode) {
      await app.start();
    } else {
      const server = await app.start({ port: config.PORT, ...(options.host ? { host: options.host } : {}) });
      const address: AddressInfo | string | null = server.address();
      port = address !== null && typeof address === 'object' ? address.port : null;
    }
  } catch (err) {
    await stop();
    throw startFailure(err);
  }
  log.info({ mode: socketMode ? 'socket' : 'http', port, team: identity.team, bot: identity.user_id }, 'Slack ready');
  return { sender, stop, mode: socketMode ? 'socket' : 'http', port };
}

/** Why receiving could not start, in words an admin can act on. */
function startFailure(err: unknown): Error {
  const mapped = mapSlackError(err, 'channel');
  if (mapped instanceof PermanentError && mapped.reason === 'auth') {
    return new PermanentError(
      `Slack refused SLACK_APP_TOKEN (${slackErrorCode(err) ?? 'invalid token'}): create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and restart.`,
      { cause: err, reason: 'auth' },
    );
  }
  return err instanceof Error ? err : mapped;
}
