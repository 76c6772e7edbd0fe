// `tobira export PROFILE [--format …]`: registers the command; outputs/export/ prints the profile's temporary
// credentials as shell variables.
import { type Command, Option } from "commander";
import * as profileOptions from "./profile-options.js";

export function register(program: Command): void {
  const description =
    "print a profile's temporary credentials as environment variables for a shell or a .env file";
  const format = new Option("--format <format>", "output format")
    .choices(["env", "fish", "pwsh", "dotenv", "json"])
    .default("env");
  profileOptions
    .addCredentialFlags(profileOptions.profileCommand(program, "export", description).addOption(format))
    .addHelpText(
      "after",
      `
Examples:
  eval "$(tobira export switch)"                       # bash, zsh, sh
  tobira export switch --format fish | source          # fish
  tobira export switch --format pwsh | Invoke-Expression   # PowerShell
  tobira export switch --format dotenv > .env          # docker compose, node --env-file
  tobira export switch --format json

Shell formats also unset AWS_PROFILE and other variables that would take precedence over these credentials.`,
    )
    .action(async (profile: string, flags: profileOptions.CredentialFlags & { format: string }) => {
      const { runExport } = await import("../outputs/export/export-run.js");
      await runExport(profile, flags.format, profileOptions.credentialOptionsFrom(flags));
    });
}
