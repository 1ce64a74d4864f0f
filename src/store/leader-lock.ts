// The leader lock each backend provides beside its store (opened by openLeaderLock in
// open-store.ts). The rules of leadership (who competes when, what a leader runs) live in
// src/replicas/; this is only the lock.

export type LeaderLock = {
  /**
   * Takes the lock if it is free; true while this process holds it. Asked again while held, it
   * checks that the lock's connection still answers (a dead network shows up here) and answers
   * false, after calling the `onLost` listeners, when it does not. Throws when the database cannot
   * be asked (a follower simply asks again later).
   */
  tryAcquire(): Promise<boolean>;
  /** Called when a held lock is lost: its connection ended, errored or stopped answering. */
  onLost(listener: (reason: string) => void): void;
  /** Releases the lock (if held) and closes its connection. */
  close(): Promise<void>;
};

/** SQLite: one process owns the file, so it always leads (no election, same code path). */
export function soleLeaderLock(): LeaderLock {
  return {
    tryAcquire: async () => true,
    onLost: () => undefined,
    close: async () => undefined,
  };
}
