import { closeSync, lstatSync, openSync, readFileSync, readSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

// Where `paperboy backup <file>` writes, decided before a byte is written (and again just before
// the rename). The copy is renamed over the target, so a target that is a live SQLite database
// (ours or another program's) or its -wal/-shm would be destroyed, and a device, FIFO or socket
// would be replaced by a regular file.

/**
 * `exitCode` 2: the target can never be written over, the call must name another file; 1: the
 * environment is not ready (a missing directory) or `--force` is needed (README, exit codes).
 */
type BackupTarget = { ok: true; path: string } | { ok: false; problem: string; exitCode: 1 | 2 };

/** Beside an SQLite database while a connection has it open (WAL), or mid-transaction (rollback journal). */
const sqliteCompanions = ['-wal', '-shm', '-journal'];

/**
 * `<file>` as `cp` reads it: an existing directory means `<directory>/<database file name>`, and a
 * symlink is written through (a dangling one creates the file it points to). Refuses the live
 * database (by real path after symlinks, or by inode for hard links), anything but a regular file,
 * another SQLite database in use (a -wal/-shm/-journal beside it, or locked by another process), a
 * directory that does not exist, and an existing file without `force`.
 */
export function resolveBackupTarget(file: string, databasePath: string, force: boolean): BackupTarget {
  const given = resolve(file);
  if (/[\\/]$/.test(file) && !isDirectory(given)) return environment(`the directory ${printablePath(given)} does not exist; create it first.`);
  const named = isDirectory(given) ? join(given, basename(resolve(databasePath))) : given;
  const target = followSymlinks(named);
  if (target === null) return mustChange(`${printablePath(named)}: too many levels of symbolic links; back up to another file.`);
  const directory = dirname(target);
  if (!isDirectory(directory)) return environment(`the directory ${printablePath(directory)} does not exist; create it first.`);
  if (isLiveDatabase(target, databasePath)) {
    return mustChange(`${printablePath(target)} is the live database (DATABASE_PATH) or its -wal/-shm file; back up to another file.`);
  }
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) return mustChange(`${printablePath(target)} is a directory; name a file inside it.`);
  if (existing && !existing.isFile()) {
    return mustChange(`${printablePath(target)} is not a regular file (${fileKind(existing)}); back up to a regular file.`);
  }
  const inUse = sqliteInUse(target, existing);
  if (inUse) return mustChange(`${printablePath(target)} ${inUse}; replacing it would corrupt it: stop the program using it, or back up to another file.`);
  if (existing && !force) return environment(`${printablePath(target)} already exists; pass --force to overwrite it.`);
  return { ok: true, path: target };
}

const mustChange = (problem: string): BackupTarget => ({ ok: false, problem, exitCode: 2 });
const environment = (problem: string): BackupTarget => ({ ok: false, problem, exitCode: 1 });

/** The path a write through `path` lands on, following symlinks (dangling too); null for a loop. */
function followSymlinks(path: string): string | null {
  let current = path;
  // Linux's limit (MAXSYMLINKS).
  for (let hops = 0; hops < 40; hops += 1) {
    if (!lstatSync(current, { throwIfNoEntry: false })?.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  return null;
}

function fileKind(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/**
 * Why the file at `target` is an SQLite database in use, or null. On Linux, /proc/locks tells: an
 * open connection holds a POSIX lock on the database (and, in WAL mode, on its -shm) even when
 * idle. Then a -wal or -journal with content beside it holds changes not yet in the file (a crash,
 * or a write in progress): they would be replayed onto the copy. An empty -wal and a -shm that no
 * one holds (left by a read-only open) are harmless. Without /proc/locks, any -wal/-shm counts.
 * The companion of a database (`x.db-wal`) is refused too.
 */
function sqliteInUse(target: string, existing: Stats | undefined): string | null {
  for (const suffix of sqliteCompanions) {
    const base = target.slice(0, -suffix.length);
    if (target.endsWith(suffix) && statSync(base, { throwIfNoEntry: false })?.isFile()) return `is the ${suffix} file of the SQLite database ${printablePath(base)}`;
  }
  const companions = sqliteCompanions.flatMap((suffix) => {
    const stat = statSync(`${target}${suffix}`, { throwIfNoEntry: false });
    return stat ? [{ suffix, path: `${target}${suffix}`, stat }] : [];
  });
  const locked = lockedFiles();
  if (locked) {
    const held = [...(existing && isSqliteFile(target) ? [existing] : []), ...companions.map((companion) => companion.stat)];
    if (held.some((stat) => locked(stat))) return 'is an SQLite database in use by another process';
  }
  const pending = companions.find((companion) => (locked ? companion.suffix !== '-shm' && companion.stat.size > 0 : companion.suffix !== '-journal' || companion.stat.size > 0));
  if (pending) return `has ${printablePath(pending.path)} beside it: it is (or was) a live SQLite database`;
  return null;
}

function isSqliteFile(path: string): boolean {
  try {
    const header = Buffer.alloc(16);
    const fd = openSync(path, 'r');
    try {
      return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\0';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Whether a file has a POSIX (fcntl) lock, from Linux's /proc/locks ("… MAJ:MIN:INODE …"); null elsewhere. */
function lockedFiles(): ((stat: Stats) => boolean) | null {
  let locks: string;
  try {
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return null;
  }
  // "1: POSIX  ADVISORY  WRITE 3781 fe:00:1474572 0 EOF" (a blocked request has "->" after the number).
  const devices = locks
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.includes('POSIX'))
    .flatMap((fields) => fields.filter((field) => /^[0-9a-f]+:[0-9a-f]+:\d+$/i.test(field)));
  return (stat) => devices.some((device) => device.split(':')[2] === String(stat.ino) && sameDevice(device, stat.dev));
}

/** /proc/locks prints the device as hex major:minor; Node's `dev` is glibc's encoded dev_t. */
function sameDevice(field: string, dev: number): boolean {
  const [major, minor] = field.split(':').map((part) => BigInt(Number.parseInt(part, 16)));
  const d = BigInt(dev);
  const devMajor = ((d & 0xfff00n) >> 8n) | ((d & 0xfffff00000000000n) >> 32n);
  const devMinor = (d & 0xffn) | ((d & 0xffffff00000n) >> 12n);
  return major === devMajor && minor === devMinor;
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
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // ELOOP, ENOTDIR, EACCES: not a directory we can write into.
    return false;
  }
}
