/** Whether a process with this id runs on this machine (signal 0 only asks). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, run by another user.
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}
