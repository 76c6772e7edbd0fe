// What `tobira clear [PROFILE]` does: drops cached temporary sessions without opening the vault.
import { forgetCachedSessions } from "../credentials/cached-sessions.js";
import { plural } from "./plural.js";

export async function runClear(profile: string | undefined): Promise<void> {
  const dropped = await forgetCachedSessions(profile);
  const which = profile === undefined ? "" : ` of profile '${profile}'`;
  process.stdout.write(`Dropped ${plural(dropped, "cached session")}${which}.\n`);
}
