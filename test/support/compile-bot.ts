import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { newCompiledFolder, sweepCompiledFolders } from './compiled-folders.ts';

// Vitest globalSetup: the bot and its CLI compiled to JavaScript once per test run, so that each
// child process the tests spawn (`paperboy start`, `paperboy search`, … several hundred of them)
// loads a few plain JavaScript files instead of starting tsx, transforming the sources again and
// loading hundreds of modules: a spawned CLI costs about a quarter of the CPU time it did. The
// sources are compiled at the start of every run (and again on each watch-mode rerun), so the
// tests always run the current sources, never a dist/ that `npm run build` left behind, and a
// fresh clone needs no build.
//
// The temporary directory holds a copy of bin/paperboy.js (so its dist/ branch is what runs, as
// with `npm start`), the compiled code in dist/src, and a link to the repository's node_modules.
// It is removed at the end of the run; those of runs killed before their end are removed at the
// start of the next (compiled-folders.ts).

declare module 'vitest' {
  export interface ProvidedContext {
    /** bin/paperboy.js of the compiled copy; see test/support/run-cli.ts. */
    compiledBin: string;
  }
}

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Our modules and the two dependencies that are hundreds of small ES modules each (drizzle-orm,
 * zod: most of a CLI start-up was spent finding and loading their files) bundled into a few
 * files; every other package is imported from node_modules as usual.
 */
const inlinePackages = /^(drizzle-orm|zod)(\/|$)/;
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) => (inlinePackages.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

/** Each module keeps the import.meta.url of its source file, so it finds migrations/ where it does when run from the sources. */
const sourceImportMetaUrl: Plugin = {
  name: 'source-import-meta-url',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function compileInto(root: string): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  // Code splitting keeps what cli.ts imports lazily (the bot, discord.js, Bolt) out of the start-up of other commands.
  await build({
    entryPoints: [join(repo, 'src', 'cli.ts')],
    outdir: join(root, 'dist', 'src'),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    plugins: [externalPackages, sourceImportMetaUrl],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  copyFileSync(join(repo, 'bin', 'paperboy.js'), join(root, 'bin', 'paperboy.js'));
}

export default async function setup(project: TestProject): Promise<() => void> {
  sweepCompiledFolders(tmpdir());
  const root = newCompiledFolder(tmpdir());
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module", "private": true }\n');
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  await compileInto(root);
  project.provide('compiledBin', join(root, 'bin', 'paperboy.js'));
  project.onTestsRerun(() => compileInto(root));
  return () => rmSync(root, { recursive: true, force: true });
}
