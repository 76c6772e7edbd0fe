// Who holds a lock folder: its pid, the process's start time and the host, written into the folder by the
// process that made it, so that a holder killed with -9 is known dead at once instead of after `staleMs`.
//
// The start time (field 22 of /proc/PID/stat, clock ticks since boot) tells a dead holder from a new process
// that was given the same pid. Where /proc is missing (macOS) the pid alone is checked; on another host (a home
// folder shared over NFS) nothing is judged here and the folder's age decides, as before.
import * as fs from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

const OWNER_FILE = "owner";

export interface LockOwner {
  pid: number;
  /** /proc/PID/stat starttime, or "" where there is no /proc. */
  start: string;
  host: string;
}

/** A process's start time as /proc gives it; undefined without /proc or such a process. */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold blanks: count fields after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19]; // field 22 overall; fields[0] is field 3
}

export function ownerText(): string {
  return JSON.stringify({ pid: process.pid, start: processStart(process.pid) ?? "", host: hostname() });
}

export function readOwner(lockPath: string): { text: string; owner: LockOwner } | undefined {
  try {
    const text = fs.readFileSync(join(lockPath, OWNER_FILE), "utf8");
    const owner = JSON.parse(text) as LockOwner;
    if (!Number.isInteger(owner.pid) || typeof owner.start !== "string" || typeof owner.host !== "string") {
      return undefined;
    }
    return { text, owner };
  } catch {
    return undefined; // no owner yet (being made), or made by an older tobira: its age decides
  }
}

/** True only when the holder is known to be gone: same host, and no such process or another one on its pid. */
export function holderIsDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  if (owner.start === "") return false;
  const now = processStart(owner.pid);
  return now !== undefined && now !== owner.start;
}

/**
 * The `fs` proper-lockfile is given: its mkdir makes the folder 0700 whatever the umask and writes the owner
 * into it; its rmdir removes the owner first (proper-lockfile only ever removes an empty folder).
 */
export function ownedLockFs(): typeof fs {
  const mkdir = (path: string, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    fs.mkdir(path, { mode: 0o700 }, (error) => {
      if (error) return callback(error);
      try {
        fs.chmodSync(path, 0o700); // mkdir's mode passes through the umask; the lock must stay private
        fs.writeFileSync(join(path, OWNER_FILE), ownerText(), { mode: 0o600 });
      } catch {
        // Without an owner file the folder's age decides, as for an older tobira's lock.
      }
      callback(null);
    });
  };
  const rmdir = (path: string, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    fs.rm(join(path, OWNER_FILE), { force: true }, () => fs.rmdir(path, callback));
  };
  const rmdirSync = (path: string): void => {
    fs.rmSync(join(path, OWNER_FILE), { force: true });
    fs.rmdirSync(path);
  };
  return { ...fs, mkdir, rmdir, rmdirSync } as unknown as typeof fs;
}

/**
 * Removes a lock folder whose holder is dead; false when it is not (or is no longer) such a folder. The owner is
 * read again just before: a process that took the folder over meanwhile has written its own.
 */
export function removeDeadHolderLock(lockPath: string): boolean {
  const first = readOwner(lockPath);
  if (!first || !holderIsDead(first.owner)) return false;
  if (readOwner(lockPath)?.text !== first.text) return false;
  try {
    fs.rmSync(join(lockPath, OWNER_FILE), { force: true });
    fs.rmdirSync(lockPath);
    return true;
  } catch {
    return false;
  }
}
