// The sandbox's one way to write a file whole: readers see the old content or the new, never half of it.
// It writes every file of the state folder that is not an append-only log: state.json, world.json,
// config and credentials (0600: they hold sessions, TOTP seeds and secret keys), sandbox.json and
// local-services.json (0644: what `tobira sandbox status` reads), and the sshd's authorized_keys and
// sshd_config (0600) and known_hosts (0644).

import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes a temp file in the target's folder (so the rename stays on one file system), with exactly `mode`
 * (default 0600, as most of these files hold secrets), fsyncs it, renames it over the target and fsyncs
 * the folder so the rename itself survives a crash. On any failure the temp file is removed.
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  // "wx": never follow or reuse something already at the temp name.
  const fd = openSync(temp, "wx", mode);
  try {
    try {
      fchmodSync(fd, mode); // the umask may have narrowed or (if odd) widened the mode given to open
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(folder);
}

/** Persists a rename; some file systems refuse fsync on a folder, which is harmless here. */
function syncFolder(folder: string): void {
  const folderFd = openSync(folder, "r");
  try {
    fsyncSync(folderFd);
  } catch {
    // best effort
  } finally {
    closeSync(folderFd);
  }
}
