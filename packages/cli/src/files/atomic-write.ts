// Replaces a file atomically: temp file in the same folder (0600 unless told), fsync, rename, fsync the folder.
// The one writer of every file tobira keeps secrets in: the vault file, the session cache, serve's token file.
import { randomBytes } from "node:crypto";
import { open, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Name prefix of the temp files next to `path`, so leftovers of a killed writer can be found. */
function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Writes `data` to `path` so that a reader (or a crash at any moment) sees either the old file or the new one,
 * never a mix. `beforeRename` runs once the new bytes are durable in the temp file (tests stop there).
 */
export async function writeFileAtomically(
  path: string,
  data: Uint8Array | string,
  options: { mode?: number; beforeRename?: () => Promise<void> } = {},
): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", options.mode ?? 0o600);
  let renamed = false;
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.beforeRename) await options.beforeRename();
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
  // Make the rename itself durable: without this a power cut can bring the old name back.
  const folderHandle = await open(folder, "r");
  try {
    await folderHandle.sync();
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic.
  } finally {
    await folderHandle.close();
  }
}

/** True for the name of a temp file `writeFileAtomically` makes (a killed writer may leave one behind). */
export function isAtomicWriteTempName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}

/** Removes temp files a killed writer left next to `path`. Call only while holding the write lock, so no live
 *  writer's temp file can be among them. */
export async function removeLeftoverTempFiles(path: string): Promise<void> {
  const prefix = tempPrefix(path);
  const folder = dirname(path);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith(".tmp"))
      await unlink(join(folder, name)).catch(() => undefined);
  }
}
