// The options the profile commands share: the credential flags (--mfa-code, --mfa-prompt, --duration,
// --region), PROFILE and TARGET, --profile, and their parsing into the options the code folders take.
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

/** The PROFILE argument of the credential outputs (exec, export, credential-process, serve, login). */
export const PROFILE_ARGUMENT = ["<profile>", "profile name in the AWS config file"] as const;
/** The --profile option of the session commands. */
export const PROFILE_OPTION = [
  "--profile <profile>",
  "profile in the AWS config file (default: $AWS_PROFILE, else default)",
] as const;
/** The TARGET argument of shell, run and port. */
export const TARGET_ARGUMENT = [
  "<target>",
  "instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name",
] as const;

/**
 * `program.command(name)` for a credential output, with its description and PROFILE. The caller adds its own
 * options, then wraps it in addCredentialFlags, so --help lists the command's own options first.
 */
export function profileCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument(...PROFILE_ARGUMENT);
}

/** `program.command(name)` for shell, run and port: its description and TARGET. */
export function sessionCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument(...TARGET_ARGUMENT);
}

/** The credential flags (after the command's own options, so those come first in --help) and the help text. */
export function withCredentialFlags(command: Command, help: string): Command {
  return addCredentialFlags(command).addHelpText("after", help);
}

/** The flags of a session command (shell, run, port, targets, ssh-proxy, ssh-config). */
export interface SessionFlags extends CredentialFlags {
  profile?: string;
  document?: string;
  reason?: string;
}

/** What a session run takes from --profile, --document, --reason and the credential flags. */
export function sessionOptionsFrom(flags: SessionFlags): {
  profile?: string;
  documentName?: string;
  reason?: string;
  access: ProfileCredentialOptions;
} {
  return {
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(flags.document === undefined ? {} : { documentName: flags.document }),
    ...(flags.reason === undefined ? {} : { reason: flags.reason }),
    access: credentialOptionsFrom(flags),
  };
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
