// What `tobira remove PROFILE` does: deletes a profile's long-term key from the vault, after asking, and the
// sessions cached from it. The key stays valid in IAM: that is said, not done.
import { forgetCachedSessions } from "../credentials/cached-sessions.js";
import { UsageError } from "../errors.js";
import { askOnTerminal } from "../terminal/index.js";
import { openVault } from "../vault/open-vault.js";
import { plural } from "./plural.js";

export async function runRemove(
  profile: string,
  options: { yes?: boolean; backend?: string },
): Promise<void> {
  const vault = await openVault({ backend: options.backend });
  if (!(await vault.keys.get(profile))) {
    throw new UsageError(`no key is stored for profile '${profile}' in the ${vault.location}`, {
      hint: "`tobira list` shows the stored profiles",
    });
  }
  if (!options.yes) {
    const answer = await askOnTerminal(
      `Delete the key of profile '${profile}' from the ${vault.location}? [y/N] `,
      { what: "a confirmation", whenNoTerminal: "pass --yes to remove without asking" },
    );
    if (!/^(y|yes)$/i.test(answer.trim())) {
      process.stdout.write("Nothing removed.\n");
      return;
    }
  }
  await vault.keys.remove(profile);
  const dropped = await forgetCachedSessions(profile);
  process.stdout.write(
    `Removed the key of profile '${profile}'` +
      (dropped > 0 ? ` and ${plural(dropped, "cached session")}` : "") +
      ". It is still active in IAM until you deactivate it there.\n",
  );
}
