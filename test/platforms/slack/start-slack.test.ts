import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/errors.ts';
import { startSlack } from '../../../src/platforms/slack/start-slack.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack } from '../../support/fake-slack.ts';
import { testDeps } from '../../support/test-deps.ts';
import { startHarness, type Harness } from './slack-harness.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('startSlack', () => {
  it('Socket Mode: connects with the app token, checks the bot token once, and stop() closes the connection', async () => {
    h = await startHarness('socket');
    expect(h.slack.mode).toBe('socket');
    expect(h.slack.port).toBeNull();
    expect(h.fake.calls('apps.connections.open').map((call) => call.token)).toEqual([FAKE_APP_TOKEN]);
    expect(h.fake.connectedSockets()).toBe(1);
    await h.command('help');
    // Bolt got the bot identity from our auth.test: no second call on the first event.
    expect(h.fake.calls('auth.test').map((call) => call.token)).toEqual([FAKE_BOT_TOKEN]);
    await h.slack.stop();
    await h.slack.stop();
    await h.fake.waitFor(() => h?.fake.connectedSockets() === 0, 'the socket to close');
  });

  it('HTTP mode: serves /slack/events on PORT and stop() closes the server', async () => {
    h = await startHarness('http');
    expect(h.slack.mode).toBe('http');
    expect(h.slack.port).toBeGreaterThan(0);
    expect(h.fake.calls('apps.connections.open')).toEqual([]);
    expect((await h.command('help')).all).toContain('search');
    await h.slack.stop();
    const after = await fetch(h.eventsUrl, { method: 'POST' }).then(() => 'answered', () => 'refused');
    expect(after).toBe('refused');
  });
  it('refuses to start with a token Slack rejects: one clear error, no crash', async () => {
    const fake = await startFakeSlack();
    fake.revokeToken();
    const deps = testDeps({ env: { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-fake-app-token', SLACK_API_URL: fake.apiUrl } });
    const failure = await startSlack(deps).then(() => null, (err: unknown) => err);
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure instanceof PermanentError && failure.reason).toBe('auth');
    expect(failure instanceof Error && failure.message).toContain('SLACK_BOT_TOKEN');
    expect(fake.connectedSockets()).toBe(0);
    await fake.close();
  });

  it('refuses to start Socket Mode with an app token Slack rejects, naming SLACK_APP_TOKEN', async () => {
    const fake = await startFakeSlack();
    const deps = testDeps({ env: { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-not-the-right-one', SLACK_API_URL: fake.apiUrl } });
    const failure = await startSlack(deps).then(() => null, (err: unknown) => err);
    expect(failure instanceof PermanentError && failure.reason).toBe('auth');
    expect(failure instanceof Error && failure.message).toContain('SLACK_APP_TOKEN');
    expect(fake.calls('apps.connections.open').map((call) => call.answered)).toEqual(['invalid_auth']);
    await fake.close();
  });
});
