// Writes the role credentials into the shared credentials file the way the agent does (facts A.7): the file is
// loaded, the profile's section replaced (other sections kept), and the whole file rewritten IN PLACE
// (truncate, then write) — not atomically, so a reader can catch it half-written. That is the behaviour
// `tobira node serve` must survive; the simulation keeps it on purpose. Keys: aws_access_key_id,
// aws_secret_access_key, aws_session_token, and no expiry. A new file is created 0600; an existing one keeps
// its mode and owner.

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";

export interface ProfileCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** The file's sections other than `profile`, as text, in their order. */
function otherSections(text: string, profile: string): string[] {
  const sections: string[] = [];
  let current: string[] | undefined;
  let skipping = false;
  for (const line of text.split("\n")) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      skipping = header[1]!.trim() === profile;
      current = skipping ? undefined : [line];
      if (current) sections.push("");
    }
    if (!skipping && current && sections.length > 0) {
      if (!header) current.push(line);
      sections[sections.length - 1] = current.join("\n").trimEnd();
    }
  }
  return sections.filter((s) => s !== "");
}

export function credentialsFileText(existing: string, profile: string, c: ProfileCredentials): string {
  const section = [
    `[${profile}]`,
    `aws_access_key_id     = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
    `aws_session_token     = ${c.sessionToken}`,
  ].join("\n");
  return `${[section, ...otherSections(existing, profile)].join("\n\n")}\n`;
}

/** Truncates and rewrites the file in place (the agent's way, see above). */
export async function writeSharedCredentials(
  path: string,
  profile: string,
  c: ProfileCredentials,
): Promise<void> {
  const existed = existsSync(path);
  if (!existed) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const existing = existed ? readFileSync(path, "utf8") : "";
  const handle = await open(path, "w", 0o600);
  try {
    await handle.writeFile(credentialsFileText(existing, profile, c));
  } finally {
    await handle.close();
  }
}
