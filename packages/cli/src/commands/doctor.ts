// `tobira doctor PROFILE [TARGET] [--json]`: registers the command; doctor/doctor-run.ts walks the path from the
// config to the target and says, step by step, what works, what does not and how to fix it.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import * as profileOptions from "./profile-options.js";

interface DoctorFlags extends profileOptions.CredentialFlags {
  json?: boolean;
  maxKeyAge?: string;
}

function days(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/d$/i, ""));
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`--max-key-age must be a whole number of days, got ${text}`, {
      hint: "for example --max-key-age 90",
    });
  return value;
}

export function register(program: Command): void {
  profileOptions
    .withCredentialFlags(
      profileOptions
        .profileCommand(
          program,
          "doctor",
          "check the way from a profile to a target, step by step, and say how to fix what fails",
        )
        .argument("[target]", "instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name")
        .option("--json", "print the report as JSON (schema tobira.doctor/1, see the README)")
        .option("--max-key-age <days>", "warn when the long-term key is older (default: tobira_max_key_age)"),
      `
Each step prints ok, warning, FAILURE or unchecked, what it saw, and one fix. It costs one MFA code.

Examples:
  tobira doctor project-a
  tobira doctor project-a web-a
  tobira doctor project-a i-0a1a0000000000001 --json`,
    )
    .action(async (profile: string, target: string | undefined, flags: DoctorFlags) => {
      const credentials = profileOptions.credentialOptionsFrom(flags);
      const { runDoctor } = await import("../doctor/doctor-run.js");
      process.exitCode = await runDoctor({
        profile,
        target,
        json: flags.json === true,
        mfaCode: credentials.mfaCode,
        mfaPrompt: credentials.mfaPrompt,
        region: credentials.region,
        durationSeconds: credentials.durationSeconds,
        maxKeyAgeDays: days(flags.maxKeyAge),
      });
    });
}
