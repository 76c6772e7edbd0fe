// Looks up an OS account in the passwd database (/etc/passwd), as the agent does before switching user.

import { readFileSync } from "node:fs";

export interface OsAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** The account named `name`, or undefined when the passwd file has none (or cannot be read). */
export function findOsAccount(name: string, passwdPath = "/etc/passwd"): OsAccount | undefined {
  let text: string;
  try {
    text = readFileSync(passwdPath, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7 || fields[0] !== name) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    return { name, uid, gid, home: fields[5] ?? "/", shell: fields[6] ?? "" };
  }
  return undefined;
}
