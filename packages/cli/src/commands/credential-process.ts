// `tobira credential-process PROFILE`: Version 1 JSON on stdout for `credential_process = …`, nothing else there.
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("credential-process")
      .description(
        "print a profile's temporary credentials as credential_process JSON (for the AWS CLI and SDKs)",
      )
      .argument("<profile>", "profile name in the AWS config file"),
  )
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
    .action(async (profile: string, flags: CredentialFlags) => {
      const { runCredentialProcess } = await import(
        "../outputs/credential-process/credential-process-run.js"
      );
      await runCredentialProcess(profile, credentialOptionsFrom(flags));
    });
}
