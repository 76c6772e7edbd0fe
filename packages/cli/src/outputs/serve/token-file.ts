// Hands the container token over in a file (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), never in argv or the
// environment of unrelated processes: 0600, written atomically, in a fresh 0700 folder unless a path is given.
import { promises as fs, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultSessionCacheLocation } from "../../credentials/session-cache-reader.js";
import { TobiraError } from "../../errors.js";
import { writeFileAtomically } from "../../files/atomic-write.js";

export class TokenFileError extends TobiraError {
  override name = "TokenFileError";
}

export interface TokenFile {
  path: string;
  /** Removes the file (and the folder made for it); safe to call twice, and synchronous for exit handlers. */
  remove(): void;
}

/**
 * Writes the token. With `path`, exactly there (an existing regular file is replaced; a folder or a link is
 * refused); without, in a new private folder under tobira's runtime folder (a tmpfs on most Linux desktops).
 */
export async function writeTokenFile(
  token: string,
  options: { path?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<TokenFile> {
  if (options.path !== undefined) {
    const path = options.path;
    const existing = await fs.lstat(path).catch(() => undefined);
    if (existing && !existing.isFile()) {
      throw new TokenFileError(`--token-file ${path} exists and is not a regular file`, {
        hint: "give a path to a new file (or to a token file a previous `tobira serve` left)",
      });
    }
    await writeFileAtomically(path, token).catch((error: NodeJS.ErrnoException) => {
      throw new TokenFileError(`cannot write the token file ${path}: ${error.code ?? error.message}`, {
        hint: "give --token-file a path in a folder you can write to",
      });
    });
    return { path, remove: () => rmSync(path, { force: true }) };
  }
  const base = defaultSessionCacheLocation(options.env ?? process.env).keyDir;
  await fs.mkdir(base, { recursive: true, mode: 0o700 });
  const folder = await fs.mkdtemp(join(base, "serve-"));
  await fs.chmod(folder, 0o700);
  const path = join(folder, "token");
  await writeFileAtomically(path, token);
  return {
    path,
    remove: () => {
      rmSync(path, { force: true });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
