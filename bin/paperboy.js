#!/usr/bin/env -S node --max-semi-space-size=8
// The `paperboy` CLI. Runs the JavaScript that `npm run build` compiled into dist/ (`npm start` and
// `npm run paperboy` build first), so no TypeScript compiler is loaded at run time. Before the first
// build, or with PAPERBOY_SOURCES=1 (the tests), it runs the TypeScript sources through tsx.
// --max-semi-space-size=8 (here, and in the npm scripts that run this file): V8 lets its young
// generation grow to 3 × 16 MB; with 8 MB semi-spaces a bot serving searches over a million papers
// peaks ~10 MB lower, with the same search and watch-matching speed (README, Performance).
import { existsSync } from 'node:fs';

// Output piped into a reader that stopped early (`paperboy search x | head -1`): stop quietly, as
// `cat` does, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const compiled = new URL('../dist/src/cli.js', import.meta.url);
let cli;
if (process.env.PAPERBOY_SOURCES !== '1' && existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
process.exitCode = await cli.runCli(process.argv.slice(2));
