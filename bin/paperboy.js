#!/usr/bin/env node
// The `paperboy` CLI. tsx compiles the TypeScript sources on load, so there is no build step.
import { register } from 'tsx/esm/api';

// Output piped into a reader that stopped early (`paperboy search x | head -1`): stop quietly, as
// `cat` does, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
