import type { IngestResult } from '../../feed/ingest.ts';
import type { OutStream } from './console-io.ts';

/**
 * Progress of a backfill: a bar redrawn in place on a terminal, one plain line per day
 * otherwise (cron mail, CI logs and pipes get no escape codes).
 */
export function createIngestProgress(out: OutStream): { update(done: number, total: number, result: IngestResult): void; finish(): void } {
  const tty = out.isTTY === true;
  let drawn = false;
  return {
    update(done, total, result) {
      const line = dayLine(result);
      if (!tty) {
        out.write(`${line}\n`);
        return;
      }
      const width = Math.max(10, Math.min(30, (out.columns ?? 80) - 60));
      const filled = Math.round((done / total) * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
      // \r + erase line: redraw the same line; failures are kept on lines of their own.
      out.write(`\r\x1b[2K${result.status === 'failed' ? `${line}\n` : ''}${bar} ${result.status === 'failed' ? '' : line}`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) out.write('\n');
    },
  };
}

function dayLine(result: IngestResult): string {
  if (result.status === 'failed') return `${result.feedDate} failed: ${result.error ?? 'unknown error'}`;
  if (result.status === 'empty') return `${result.feedDate} empty (no papers listed that day)`;
  const skipped = result.skipped > 0 ? `, ${result.skipped} malformed skipped` : '';
  return `${result.feedDate} ok: ${result.fetched} papers, ${result.inserted.length} new, ${result.updated} updated${skipped}`;
}
