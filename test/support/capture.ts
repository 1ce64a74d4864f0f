import { Writable } from 'node:stream';

/** What a captured stream tells its writer about the terminal it pretends to be (console output). */
export type CaptureOptions = { isTTY?: boolean; columns?: number; rows?: number };

/** A writable stream that keeps what is written to it (a bot's stdout, a logger's sink). */
export function captureStream(options: CaptureOptions = {}) {
  let text = '';
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const stream: Writable & CaptureOptions = Object.assign(writable, options);
  return {
    stream,
    text: () => text,
    /** What was written after the first `mark` characters (`mark`: an earlier `text().length`). */
    since: (mark: number) => text.slice(mark),
    /** The non-empty lines written so far. */
    lines: () => text.split('\n').filter(Boolean),
    clear: () => {
      text = '';
    },
  };
}
