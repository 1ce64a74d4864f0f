import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { newCompiledFolder, sweepCompiledFolders } from '../support/compiled-folders.ts';

// The compiled bot's folder of a test run killed mid-run (its teardown never ran) is removed by
// the next run; the folders of runs still going, in this checkout or another, are kept.

const parents: string[] = [];
afterEach(() => {
  for (const parent of parents.splice(0)) rmSync(parent, { recursive: true, force: true });
});

function idleChild() {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

describe('sweepCompiledFolders', () => {
  it("removes a killed run's folder and keeps those of live runs", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'paperboy-sweep-'));
    parents.push(parent);
    const mine = newCompiledFolder(parent);
    const killed = idleChild();
    const running = idleChild();
    try {
      const killedFolder = join(parent, `paperboy-compiled-${killed.pid}-Ab12Cd`);
      const runningFolder = join(parent, `paperboy-compiled-${running.pid}-Ef34Gh`);
      mkdirSync(join(killedFolder, 'dist'), { recursive: true });
      mkdirSync(runningFolder);
      mkdirSync(join(parent, 'unrelated-folder'));
      killed.kill('SIGKILL');
      await once(killed, 'exit');

      expect(sweepCompiledFolders(parent)).toEqual([`paperboy-compiled-${killed.pid}-Ab12Cd`]);
      expect(existsSync(killedFolder)).toBe(false);
      expect(readdirSync(parent).sort()).toEqual([mine.slice(parent.length + 1), `paperboy-compiled-${running.pid}-Ef34Gh`, 'unrelated-folder'].sort());
    } finally {
      killed.kill('SIGKILL');
      running.kill('SIGKILL');
    }
  });

  it('removes a folder named before the owner was in the name only once it is a day old', () => {
    const parent = mkdtempSync(join(tmpdir(), 'paperboy-sweep-'));
    parents.push(parent);
    mkdirSync(join(parent, 'paperboy-compiled-Xy9Zab'));
    mkdirSync(join(parent, 'paperboy-compiled-Qr7Stu'));
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60_000);
    utimesSync(join(parent, 'paperboy-compiled-Qr7Stu'), twoDaysAgo, twoDaysAgo);
    expect(sweepCompiledFolders(parent)).toEqual(['paperboy-compiled-Qr7Stu']);
    expect(readdirSync(parent)).toEqual(['paperboy-compiled-Xy9Zab']);
  });
});
