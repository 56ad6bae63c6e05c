/**
 * Whether a process of this machine exists: `process.kill(pid, 0)` sends nothing and only checks. Only
 * ESRCH (no such process) says it is gone; EPERM (it exists, owned by someone else) and anything else
 * that cannot tell count as alive, so callers never take a live process's files or locks.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // cannot tell: rely on something else
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
