// Puts a profile's temporary keys into the shared credentials file the way `update` keeps them fresh: under
// tobira's cross-process lock, the file re-read, only that section's key lines replaced (its other keys and
// every other section kept as written), and the result written atomically with mode 0600 — so a reader never
// sees half a file and two updaters never undo each other.

import { readFile } from "node:fs/promises";
import type { TemporaryCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import { withCrossProcessLock } from "../files/cross-process-lock.js";

const KEY_LINES = /^\s*(aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token)\s*=/i;

function isHeader(line: string): boolean {
  return /^\s*\[.*\]\s*$/.test(line);
}

/** The file's text with [profile]'s keys set to `credentials`; the section is added at the end if missing. */
export function withProfileKeys(text: string, profile: string, credentials: TemporaryCredentials): string {
  const keys = [
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    `aws_session_token = ${credentials.sessionToken}`,
  ];
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const start = lines.findIndex((line) => isHeader(line) && line.trim().slice(1, -1).trim() === profile);
  if (start < 0)
    return `${[...lines, ...(lines.length > 0 ? [""] : []), `[${profile}]`, ...keys].join("\n")}\n`;
  let end = start + 1;
  while (end < lines.length && !isHeader(lines[end]!)) end++;
  const kept = lines.slice(start + 1, end).filter((line) => !KEY_LINES.test(line));
  return `${[...lines.slice(0, start + 1), ...keys, ...kept, ...lines.slice(end)].join("\n")}\n`;
}

async function currentText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

export async function writeProfileKeys(
  path: string,
  profile: string,
  credentials: TemporaryCredentials,
): Promise<void> {
  const busy = () =>
    new TobiraError(`another process keeps ${path} locked`, {
      hint: "wait for it, or stop the other `tobira rolesanywhere update`",
    });
  await withCrossProcessLock(
    `${path}.tobira-lock`,
    { staleMs: 15_000, wait: { kind: "backoff", onBusy: busy } },
    async (assertHeld) => {
      const text = withProfileKeys(await currentText(path), profile, credentials);
      await writeFileAtomically(path, text, { mode: 0o600, beforeRename: async () => assertHeld() });
    },
  );
}
