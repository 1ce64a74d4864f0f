import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

// Where `paperboy backup <file>` writes, decided before a byte is written. A target that is the
// live database or its -wal/-shm would destroy it: the copy is renamed over the target.

export type BackupTarget = { ok: true; path: string } | { ok: false; problem: string };

/**
 * `<file>` as `cp` reads it: an existing directory means `<directory>/<database file name>`.
 * Refuses the live database (by real path after symlinks, or by inode for hard links), a
 * directory that does not exist, and an existing file without `force`.
 */
export function resolveBackupTarget(file: string, databasePath: string, force: boolean): BackupTarget {
  const given = resolve(file);
  if (/[\\/]$/.test(file) && !isDirectory(given)) return { ok: false, problem: `the directory ${printablePath(given)} does not exist; create it first.` };
  const target = isDirectory(given) ? join(given, basename(resolve(databasePath))) : given;
  const directory = dirname(target);
  if (!isDirectory(directory)) return { ok: false, problem: `the directory ${printablePath(directory)} does not exist; create it first.` };
  if (isLiveDatabase(target, databasePath)) {
    return { ok: false, problem: `${printablePath(target)} is the live database (DATABASE_PATH) or its -wal/-shm file; back up to another file.` };
  }
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) return { ok: false, problem: `${printablePath(target)} is a directory; name a file inside it.` };
  if (existing && !force) return { ok: false, problem: `${printablePath(target)} already exists; pass --force to overwrite it.` };
  return { ok: true, path: target };
}

function isLiveDatabase(target: string, databasePath: string): boolean {
  if (databasePath === ':memory:' || databasePath === '') return false;
  const live = resolve(databasePath);
  const liveNames = new Set<string>();
  for (const base of [live, realPath(live)]) for (const suffix of ['', '-wal', '-shm']) liveNames.add(base + suffix);
  if (liveNames.has(target) || liveNames.has(realPath(target))) return true;
  // A hard link (or a bind mount) has its own path but the same inode.
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return false;
  return ['', '-wal', '-shm'].some((suffix) => {
    const other = statSync(live + suffix, { throwIfNoEntry: false });
    return other !== undefined && other.ino === stat.ino && other.dev === stat.dev;
  });
}

/** The real path of a file that may not exist yet: its directory's real path + its name. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** A path as a message shows it: a newline or a direction override in a file name is escaped, not obeyed. */
export function printablePath(path: string): string {
  return path.replace(/[\p{Cc}\p{Cf}]/gu, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
