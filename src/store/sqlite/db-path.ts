import { lstatSync, mkdirSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

// Where DATABASE_PATH points must be a file in a directory we can create. Every failure is one
// line naming DATABASE_PATH, so start-up and the CLI can print it as it is.

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Creates the missing directories above `file` one level at a time. Not `mkdir -p`: Node's
 * recursive mkdir retries ENOENT forever under /proc (100 % CPU, no output).
 */
export function ensureParentDirectory(file: string, shownPath: string): void {
  const missing: string[] = [];
  let current = dirname(file);
  for (;;) {
    const stat = statIfReachable(current, shownPath);
    if (stat) {
      if (!stat.isDirectory()) throw new DatabaseOpenError(`DATABASE_PATH=${shownPath}: ${current} is not a directory.`);
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Another process made it between our stat and mkdir: fine.
      if (errorCode(err) === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new DatabaseOpenError(`DATABASE_PATH=${shownPath}: ${dir} is a symbolic link to ${readlinkSync(dir)}, which does not exist.`, { cause: err });
      }
      throw new DatabaseOpenError(`DATABASE_PATH=${shownPath}: cannot create the directory ${dir} (${describeFsError(err)}).`, { cause: err });
    }
  }
}

/** null when the path does not exist (ENOENT) or a parent is a file (ENOTDIR, reported one level up). */
export function statIfReachable(path: string, shownPath: string) {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (err) {
    if (errorCode(err) === 'ENOTDIR') return null;
    throw new DatabaseOpenError(`DATABASE_PATH=${shownPath}: cannot reach ${path} (${describeFsError(err)}).`, { cause: err });
  }
}

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'a file of that name exists',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'a name in the path is too long',
};

export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  return (code && reasons[code]) ?? innermostMessage(err);
}

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** The message of the deepest `cause`: the SQLite error under Drizzle's "Failed to run the query …". */
export function innermostMessage(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
