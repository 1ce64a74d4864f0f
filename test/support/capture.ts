import { Writable } from 'node:stream';

/** A writable stream that keeps what is written to it (a bot's stdout, a logger's sink). */
export function captureStream() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return {
    stream,
    text: () => text,
    /** The non-empty lines written so far. */
    lines: () => text.split('\n').filter(Boolean),
    clear: () => {
      text = '';
    },
  };
}
