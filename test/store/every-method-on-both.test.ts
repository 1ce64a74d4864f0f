import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The contract: every Store method has a behaviour test that runs on both backends. This reads
// the method names off the `Store` interface and looks for a call to each in the shared suite:
// the test files of this folder that run `describe.each(backends)`.

const folder = new URL('./', import.meta.url);
const storeSource = readFileSync(new URL('../../src/store/store.ts', import.meta.url), 'utf8');

function storeMethods(): string[] {
  const body = /export interface Store \{([\s\S]*?)\n\}/.exec(storeSource)?.[1];
  if (body === undefined) throw new Error('no `export interface Store` in src/store/store.ts');
  return [...body.matchAll(/^ {2}(\w+)\(/gm)].map((match) => match[1] ?? '');
}

function sharedSuite(): Map<string, string> {
  const files = readdirSync(folder).filter((name) => name.endsWith('.test.ts'));
  const sources = files.map((name) => [name, readFileSync(new URL(name, folder), 'utf8')] as const);
  return new Map(sources.filter(([, source]) => source.includes('describe.each(backends)')));
}

/** Store method → the shared-suite files that call it. */
function coverage(): Map<string, string[]> {
  const suite = [...sharedSuite()];
  return new Map(storeMethods().map((method) => [method, suite.filter(([, source]) => new RegExp(`\\.${method}\\(`).test(source)).map(([name]) => name)]));
}

describe('the shared store suite', () => {
  it('reads the Store interface (the check is not vacuous)', () => {
    const methods = storeMethods();
    expect(methods.length).toBeGreaterThan(60);
    expect(methods).toContain('claimDue');
    expect(methods).toContain('close');
    expect(sharedSuite().size).toBeGreaterThan(5);
  });

  it('calls every Store method in a test that runs on both backends', () => {
    const untested = [...coverage()].filter(([, files]) => files.length === 0).map(([method]) => method);
    expect(untested).toEqual([]);
  });
});
