import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture, startFakeHf, type FakeHf } from '../support/fake-hf.ts';
import { runCli, spawnCli } from '../support/run-cli.ts';

// What a person reads from the CLI (layout, links) and the exit code rule: 0 ok, 1 the operation
// failed (not found, network), 2 the command line is wrong (unknown command, flag or option value).

let hf: FakeHf;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env, cwd: dir });

beforeAll(async () => {
  hf = await startFakeHf({ '2024-10-25': readFixture('daily_papers-2024-10-25.json') as unknown[] });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-output-'));
  env = { DATABASE_PATH: join(dir, 'paperboy.db'), HF_BASE_URL: hf.url, LOG_LEVEL: 'info' };
  const ingest = await cli(['ingest', '--date', '2024-10-25']);
  expect(ingest.code).toBe(0);
}, 60_000);

afterAll(async () => {
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paperboy output', { timeout: 60_000 }, () => {
  it('stops quietly when the reader of its output goes away (| head -1), exit 0, no stack', async () => {
    const child = spawnCli(['search', 'models', '--limit', '25'], { env, cwd: dir });
    child.stdin.end();
    // The reader closes its end at once: every write of the search reply meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(code).toBe(0);
  });

  it('paper accepts a link without its scheme and the hf.co short host', async () => {
    for (const link of ['arxiv.org/abs/2410.17243v3', 'hf.co/papers/2410.17243', '<https://arxiv.org/pdf/2410.17243v1.pdf|PDF>']) {
      const result = await cli(['paper', link, '--json']);
      expect({ link, code: result.code, stderr: result.stderr }).toEqual({ link, code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toMatchObject({ id: '2410.17243' });
    }
  });

  it('paper shows the title once, the whole abstract wrapped at 100 columns and every link', async () => {
    const result = await cli(['paper', '2410.17243']);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out.startsWith('Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss [2410.17243]\n')).toBe(true);
    expect(out).not.toMatch(/^1\. /m);
    expect(out).not.toMatch(/\n\n\n/);
    expect(Math.max(...out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(out).toMatch(/▲ 64 upvotes/);
    expect(out).toContain('Zesen Cheng');
    for (const link of ['https://huggingface.co/papers/2410.17243', 'https://arxiv.org/abs/2410.17243', 'https://arxiv.org/pdf/2410.17243']) {
      expect(out).toContain(link);
    }
    const json = await cli(['paper', '2410.17243', '--json']);
    const abstract: unknown = JSON.parse(json.stdout).abstract;
    expect(typeof abstract).toBe('string');
    const blocks = out.split('\n\n').map((block) => block.replace(/\n/g, ' '));
    expect(blocks).toContain(String(abstract).replace(/\s+/g, ' ').trim());
  });

  it('search has one blank line after its heading and lines of at most 100 columns', async () => {
    const result = await cli(['search', 'hallucinations', '--limit', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Search: hallucinations \(\d+ papers? of [\d,]+ searched\)\n\n1\. /);
    expect(result.stdout).not.toMatch(/\n\n\n/);
    expect(Math.max(...result.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('exit 2 for a wrong command line, with the usage on stderr', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: paperboy <command>/);
    expect(none.stderr).toMatch(/Exit codes: 0 ok, 1 the operation failed, 2 wrong command line/);
    for (const args of [['paper', 'not-an-id'], ['paper', 'arxiv.org.evil.com/abs/2410.17243'], ['search', 'llm', '--limit', 'abc'], ['digest', 'preview', '--date', '2024-13-45'], ['today', '--sort', 'sideways']]) {
      const result = await cli(args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    const host = await cli(['paper', 'arxiv.org.evil.com/abs/2410.17243']);
    expect(host.stderr).toMatch(/^paperboy: `arxiv\.org\.evil\.com` is not arxiv\.org or huggingface\.co\./);
  });

  it('exit 1 when the operation fails: an id neither stored nor on Hugging Face', async () => {
    const result = await cli(['paper', 'hf.co/papers/2401.00001']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^paperboy: Hugging Face has no page for 2401\.00001, and arXiv did not answer: https:\/\/arxiv\.org\/abs\/2401\.00001$/m);
  });

  it('help asked for is on stdout with exit 0', async () => {
    const result = await cli(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: paperboy <command>/);
    expect(result.stderr).toBe('');
  });
});
