#!/usr/bin/env node
// The `paperboy` CLI. tsx compiles the TypeScript sources on load, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
