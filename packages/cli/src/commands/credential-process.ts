// `tobira credential-process PROFILE`: registers the command; outputs/credential-process/ prints Version 1 JSON
// on stdout for `credential_process = …`, nothing else there. A cache hit never gets here (bin.ts's fast path).
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

export function register(program: Command): void {
  const description =
    "print a profile's temporary credentials as credential_process JSON (for the AWS CLI and SDKs)";
  profileOptions
    .addCredentialFlags(profileOptions.profileCommand(program, "credential-process", description))
    .addHelpText(
      "after",
      `
Examples:
  # ~/.aws/config — the AWS CLI and SDKs then run tobira for this profile:
  [profile switch-cli]
  credential_process = tobira credential-process switch

  tobira credential-process switch | jq .Expiration

A cached answer is printed without asking anything; on a miss the MFA prompt opens the terminal (/dev/tty),
so it works while the AWS CLI captures stdin and stderr.`,
    )
    .action(async (profile: string, flags: profileOptions.CredentialFlags) => {
      const { runCredentialProcess } = await import(
        "../outputs/credential-process/credential-process-run.js"
      );
      await runCredentialProcess(profile, profileOptions.credentialOptionsFrom(flags));
    });
}
