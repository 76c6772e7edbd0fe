// The flags every credential command shares (--mfa-code, --mfa-prompt, --duration, --region) and their parsing.
// Light on purpose: command modules import it at load time.
import type { Command } from "commander";
import type { ProfileCredentialOptions } from "../credentials/profile-credentials.js";
import { UsageError } from "../errors.js";

export interface CredentialFlags {
  mfaCode?: string;
  mfaPrompt?: string;
  duration?: string;
  region?: string;
}

export function addCredentialFlags(command: Command): Command {
  return command
    .option("--mfa-code <code>", "the current code of the MFA device (else mfa_process, else a prompt)")
    .option("--mfa-prompt <driver>", "how to ask for a code: terminal, ykman or command")
    .option("--duration <time>", "session lifetime: seconds, or with a unit (90m, 8h)")
    .option("--region <region>", "region for STS and for AWS_REGION (default: the profile's)");
}

export function credentialOptionsFrom(flags: CredentialFlags): ProfileCredentialOptions {
  const options: ProfileCredentialOptions = {};
  if (flags.mfaCode !== undefined) options.mfaCode = flags.mfaCode;
  if (flags.mfaPrompt !== undefined) options.mfaPrompt = flags.mfaPrompt;
  if (flags.duration !== undefined) options.durationSeconds = parseDuration(flags.duration);
  if (flags.region !== undefined) options.region = flags.region;
  return options;
}

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/** "3600", "3600s", "90m", "8h", "1h30m" → seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)([smh]?)/g)];
  if (
    parts.length === 0 ||
    parts.map((p) => p[0]).join("") !== trimmed ||
    (parts.length > 1 && parts.some((p) => !p[2]))
  ) {
    throw new UsageError(`--duration '${text}' is not a duration`, {
      hint: "give seconds (3600) or a number with s, m or h (90m, 8h, 1h30m)",
    });
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] ?? ""] ?? 1), 0);
}
