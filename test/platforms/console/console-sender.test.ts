import { describe, expect, it } from 'vitest';
import { message } from '../../../src/messages/message.ts';
import { createConsoleSender } from '../../../src/platforms/console/console-sender.ts';
import { createIngestProgress } from '../../../src/platforms/console/ingest-progress.ts';
import type { IngestResult } from '../../../src/feed/ingest.ts';
import { captureStream } from '../../support/capture.ts';

/** The console's stdout: a terminal 100 columns wide, or not a terminal. */
const sink = (isTTY = false) => captureStream({ isTTY, columns: 100 });

const card = {
  id: '2410.17243',
  title: 'A paper about @everyone',
  url: 'https://huggingface.co/papers/2410.17243',
  arxivUrl: 'https://arxiv.org/abs/2410.17243',
  pdfUrl: 'https://arxiv.org/pdf/2410.17243',
  thumbnailUrl: null,
  authors: ['Ada Lovelace'],
  organization: null,
  upvotes: 42,
  comments: 3,
  github: null,
  projectPage: null,
  summary: 'It works.',
  feedDate: '2026-09-01',
  publishedAt: null,
};

describe('console sender', () => {
  it('prints a digest as readable text addressed to its channel', async () => {
    const out = sink();
    const sender = createConsoleSender(out.stream);
    const result = await sender.send(
      { platform: 'console', kind: 'channel', id: 'console' },
      message({ kind: 'digest', visibility: 'public', title: 'Daily papers — 2026-09-01', text: 'Top 1 of 1 paper.', papers: [card] }),
      { id: 7, key: 'digest:console:console:2026-09-01' },
    );
    expect(result.messageId).toBe('console:digest:console:console:2026-09-01');
    expect(out.text()).toContain('Digest for #console');
    expect(out.text()).toContain('1. A paper about @everyone [2410.17243]');
    expect(out.text()).toContain('▲ 42');
  });

  it('labels alerts with the user they are for', async () => {
    const out = sink();
    await createConsoleSender(out.stream).send(
      { platform: 'console', kind: 'user', id: 'console' },
      message({ kind: 'alert', visibility: 'private', text: '1 new paper matches your watches.', papers: [{ ...card, match: { watch: 'paper', terms: ['paper'] } }] }),
      { id: 8, key: 'alert:console:console:1' },
    );
    expect(out.text()).toContain('Alert for user console');
    expect(out.text()).toContain('matched "paper": paper');
  });
});

const result = (feedDate: string, status: IngestResult['status'], extra: Partial<IngestResult> = {}): IngestResult => ({
  runId: 1,
  feedDate,
  status,
  fetched: status === 'ok' ? 29 : 0,
  inserted: status === 'ok' ? [1, 2] : [],
  updated: 27,
  skipped: 0,
  ...extra,
});

describe('ingest progress', () => {
  it('writes one plain line per day when not on a terminal', () => {
    const out = sink(false);
    const progress = createIngestProgress(out.stream);
    progress.update(1, 2, result('2024-10-25', 'ok'));
    progress.update(2, 2, result('2024-10-26', 'failed', { error: 'HTTP 500' }));
    progress.finish();
    expect(out.text()).toBe('2024-10-25 ok: 29 papers, 2 new, 27 updated\n2024-10-26 failed: HTTP 500\n');
  });

  it('redraws a bar in place on a terminal', () => {
    const out = sink(true);
    const progress = createIngestProgress(out.stream);
    progress.update(1, 4, result('2024-10-25', 'ok'));
    progress.update(2, 4, result('2024-10-26', 'empty'));
    progress.finish();
    expect(out.text()).toContain('\r\x1b[2K[');
    expect(out.text()).toContain('2/4 2024-10-26 empty');
    expect(out.text().endsWith('\n')).toBe(true);
  });
});
