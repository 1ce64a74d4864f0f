import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// The bot runs with node options that bound its memory (bin/paperboy.js says why): `npm start`,
// `npm run paperboy` and the executable itself (its `#!` line) must give node the same ones, and
// the `#!` line must work as an executable's first line (`env -S` splits it).

const repoBin = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));
const Package = z.object({ scripts: z.object({ start: z.string(), paperboy: z.string() }) });
const { scripts } = Package.parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')));

describe('node options of the bot', () => {
  const shebang = readFileSync(repoBin, 'utf8').split('\n')[0] ?? '';
  const options = /^#!\/usr\/bin\/env -S node((?: --\S+)*)$/.exec(shebang)?.[1] ?? null;

  it('are the same in the #! line, npm start and npm run paperboy', () => {
    expect(options).toBe(' --max-semi-space-size=8');
    expect(scripts.start).toBe(`node${options} bin/paperboy.js start`);
    expect(scripts.paperboy).toBe(`node${options} bin/paperboy.js`);
  });

  it('reach node when bin/paperboy.js runs as an executable', () => {
    // The same first line on a script that prints what node was given.
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-shebang-'));
    try {
      const probe = join(dir, 'probe.js');
      writeFileSync(probe, `${shebang}\nconsole.log(JSON.stringify(process.execArgv));\n`);
      chmodSync(probe, 0o755);
      const printed = spawnSync(probe, [], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 30_000 });
      expect(printed.stderr).toBe('');
      expect(JSON.parse(printed.stdout)).toEqual(['--max-semi-space-size=8']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const result = spawnSync(repoBin, ['help'], { env: { PATH: process.env.PATH ?? '', PAPERBOY_SOURCES: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: paperboy <command>/);
  }, 90_000);
});
