// Writes a file so readers see the old content or the new, never half: temp file in the same folder, fsync, rename.

import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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
  // Persist the rename itself; some file systems refuse fsync on a folder, which is harmless here.
  const folderFd = openSync(folder, "r");
  try {
    fsyncSync(folderFd);
  } catch {
    // best effort
  } finally {
    closeSync(folderFd);
  }
}
