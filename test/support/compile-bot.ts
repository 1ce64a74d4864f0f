import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';

// Vitest globalSetup: the bot and its CLI compiled to JavaScript once per test run, so that each
// child process the tests spawn (`paperboy start`, `paperboy search`, … several hundred of them)
// loads plain JavaScript instead of starting tsx and transforming the sources again: a spawned
// CLI starts about three times faster. The sources are compiled at the start of every run (and
// again on each watch-mode rerun), so the tests always run the current sources, never a dist/
// that `npm run build` left behind, and a fresh clone needs no build.
//
// The temporary directory mirrors the repository as `npm run build` lays it out: bin/paperboy.js
// (a copy, so its dist/ branch is what runs), dist/src, dist/commands, and links to the
// repository's migrations and node_modules, which the compiled code finds relative to itself.

declare module 'vitest' {
  export interface ProvidedContext {
    /** bin/paperboy.js of the compiled copy; see test/support/run-cli.ts. */
    compiledBin: string;
  }
}

const repo = fileURLToPath(new URL('../../', import.meta.url));

function typeScriptFiles(folder: string): string[] {
  return readdirSync(join(repo, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(repo, folder, file));
}

/** Every import of our own modules (`./x.ts`) stays an import, of the compiled `./x.js`. */
const relativeImportsToJs: Plugin = {
  name: 'relative-imports-to-js',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\// }, (args) => ({ path: args.path.replace(/\.ts$/, '.js'), external: true }));
  },
};

async function compileInto(root: string): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  // bundle: true only so that the plugin sees the imports; each file still compiles on its own.
  await build({
    entryPoints: [...typeScriptFiles('src'), ...typeScriptFiles('commands')],
    outdir: join(root, 'dist'),
    outbase: repo,
    bundle: true,
    packages: 'external',
    plugins: [relativeImportsToJs],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  symlinkSync(join(repo, 'migrations'), join(root, 'dist', 'migrations'));
  copyFileSync(join(repo, 'bin', 'paperboy.js'), join(root, 'bin', 'paperboy.js'));
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(tmpdir(), 'paperboy-compiled-'));
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module", "private": true }\n');
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  await compileInto(root);
  project.provide('compiledBin', join(root, 'bin', 'paperboy.js'));
  project.onTestsRerun(() => compileInto(root));
  return () => rmSync(root, { recursive: true, force: true });
}
