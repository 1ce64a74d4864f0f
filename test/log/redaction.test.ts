import { describe, expect, it } from 'vitest';
import { classify, classifyStatus, PermanentError, TransientError, UserError } from '../../src/errors.ts';
import { createLogger, scrubSecrets } from '../../src/log.ts';
import { captureStream } from '../support/capture.ts';

describe('logging', () => {
  it('redacts tokens wherever they sit in a log object', () => {
    const sink = captureStream();
    const log = createLogger({ LOG_LEVEL: 'info' }, sink.stream);
    const secret = 'xoxb-1234567890-super-secret';
    log.info({ token: secret, config: { SLACK_BOT_TOKEN: secret, DISCORD_TOKEN: secret }, headers: { authorization: `Bearer ${secret}` } }, 'hello');
    const all = sink.text();
    expect(all).toContain('hello');
    expect(all).not.toContain(secret);
    expect(all).toContain('[redacted]');
  });

  it('scrubs secret values out of free text', () => {
    expect(scrubSecrets('failed with token abcdef123456 in url', ['abcdef123456', undefined])).toBe('failed with token [redacted] in url');
  });
});

describe('classify', () => {
  it('maps our errors and foreign ones to the three kinds', () => {
    expect(classify(new UserError('bad_query', 'x'))).toBe('user');
    expect(classify(new TransientError('x'))).toBe('transient');
    expect(classify(new PermanentError('x'))).toBe('permanent');
    expect(classify(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classify(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }))).toBe('transient');
    expect(classify(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe('transient');
    expect(classify(new DOMException('timed out', 'TimeoutError'))).toBe('transient');
    expect(classify(new Error('weird'))).toBe('permanent');
    expect(classify('a string')).toBe('permanent');
  });

  it('classifies HTTP statuses', () => {
    expect(classifyStatus(429)).toBe('transient');
    expect(classifyStatus(503)).toBe('transient');
    expect(classifyStatus(404)).toBe('permanent');
    expect(classifyStatus(403)).toBe('permanent');
  });
});
