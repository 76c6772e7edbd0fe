// `tobira rotate PROFILE`: replace the profile's IAM access key with a new one, keeping a working key in the vault.
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

interface RotateFlags {
  mfaCode?: string;
  mfaPrompt?: string;
  region?: string;
  backend?: string;
}

export function register(program: Command): void {
  program
    .command("rotate")
    .description("create a new access key for the profile's IAM user, store it, and delete the old one")
    .argument("<profile>", "the profile whose key is rotated (for a role profile: its source profile's key)")
    .option("--mfa-code <code>", "the current code of the MFA device (else mfa_process, else a prompt)")
    .option("--mfa-prompt <driver>", "how to ask for a code: terminal, ykman or command")
    .option("--region <region>", "region for the STS and IAM calls (default: the profile's)")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  tobira rotate alice
  tobira rotate switch        # rotates the key of switch's source profile

Steps (each reported on stderr): an MFA session from the current key, CreateAccessKey, a check that the new
key works (retried while IAM spreads it), the new key into the vault, DeleteAccessKey of the old key, and the
profile's cached sessions dropped. Until the new key is stored, any failure deletes it again: the vault always
holds a working key. No secret is printed.`,
    )
    .action(async (profile: string, flags: RotateFlags) => {
      const { runRotate } = await import("../rotate/rotate-run.js");
      await runRotate(profile, {
        ...(flags.mfaCode === undefined ? {} : { mfaCode: flags.mfaCode }),
        ...(flags.mfaPrompt === undefined ? {} : { mfaPrompt: flags.mfaPrompt }),
        ...(flags.region === undefined ? {} : { region: flags.region }),
        ...(flags.backend === undefined ? {} : { backend: flags.backend }),
      });
    });
}
