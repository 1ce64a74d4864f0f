import { describe, expect, it } from 'vitest';
import { waitForShutdown } from '../../src/shutdown.ts';
import { testDeps } from '../support/test-deps.ts';

// SIGUSR2 stands in for SIGTERM: emitting a real SIGTERM would stop the test runner.
const signals: NodeJS.Signals[] = ['SIGUSR2'];

describe('waitForShutdown', () => {
  it('stops on the signal and resolves 0', async () => {
    const deps = testDeps();
    let stopped = false;
    const exits: number[] = [];
    const done = waitForShutdown(async () => void (stopped = true), { log: deps.log, signals, exit: (code) => exits.push(code) });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await done).toBe(0);
    expect(stopped).toBe(true);
    expect(exits).toEqual([]);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('exits 1 when stopping hangs past the timeout', async () => {
    const deps = testDeps();
    const exited = new Promise<number>((resolve) => {
      void waitForShutdown(() => new Promise<void>(() => undefined), { log: deps.log, signals, timeoutMs: 50, exit: resolve });
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(1);
    expect(deps.logLines().some((line) => line.msg === 'shutdown took too long: exiting')).toBe(true);
    process.removeAllListeners('SIGUSR2');
  });

  it('resolves 1 when stopping fails', async () => {
    const deps = testDeps();
    const done = waitForShutdown(() => Promise.reject(new Error('db busy')), { log: deps.log, signals, exit: () => undefined });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await done).toBe(1);
  });
});
