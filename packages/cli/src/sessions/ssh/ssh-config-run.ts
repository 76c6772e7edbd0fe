// `tobira ssh-config [--profile P]`: the targets the profile can see, as ssh config Host blocks on stdout.
import { chosenProfile, openProfileAccess, type ProfileAccessOptions } from "../ssm/profile-access.js";
import { findTargets } from "../ssm/targets.js";
import { projectReach } from "./project-reach.js";
import { sshConfigText } from "./ssh-config-text.js";

export interface SshConfigOptions {
  profile?: string;
  /** --command: how ssh runs tobira (default "tobira"). */
  command?: string;
  access?: ProfileAccessOptions;
  stdout?: NodeJS.WritableStream;
}

export async function runSshConfig(options: SshConfigOptions): Promise<number> {
  const profile = chosenProfile(options.profile);
  const access = await openProfileAccess(profile, options.access ?? {});
  try {
    const [{ targets }, reach] = await Promise.all([findTargets(access), projectReach(access)]);
    (options.stdout ?? process.stdout).write(
      sshConfigText({ profile, command: options.command ?? "tobira", targets, reach }),
    );
    return 0;
  } finally {
    access.close();
  }
}
