import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { processExists } from '../../src/process-exists.ts';

// The folders compile-bot.ts compiles into, one per test run: `paperboy-compiled-<pid>-XXXXXX`,
// named for the vitest process that owns it. A run removes its own at the end; one killed
// mid-run cannot, so each run first sweeps the folders whose owner is gone. A live owner's folder
// is never touched, so any number of runs (of one checkout or several) may overlap.

const PREFIX = 'paperboy-compiled-';
/** Folders named before the owner's pid was in the name: swept once clearly older than any run. */
const LEGACY_AFTER_MS = 24 * 60 * 60_000;

/** A new folder in `parent` owned by this process. */
export function newCompiledFolder(parent: string): string {
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

/** Removes the folders in `parent` of runs that have ended without removing theirs. Returns their names. */
export function sweepCompiledFolders(parent: string, now = Date.now()): string[] {
  const swept: string[] = [];
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(PREFIX)) continue;
    const owner = /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1];
    const path = join(parent, name);
    try {
      const stale = owner === undefined ? now - statSync(path).mtimeMs > LEGACY_AFTER_MS : !processExists(Number(owner));
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      swept.push(name);
    } catch {
      // Another user's folder, or one another run swept first: not ours to report.
    }
  }
  return swept;
}
