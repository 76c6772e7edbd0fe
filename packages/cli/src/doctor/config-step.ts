// Step 1, config: the profile's resolved chain with the file and line of every key, and what would make it
// behave unlike the user expects — no region, sections the AWS CLI skips, keys the AWS CLI ignores or reads
// from elsewhere, long-term keys written in clear. A profile tobira cannot resolve is a failure with its fix.

import type { ConfigFiles, ResolvedProfile, Setting } from "../config/index.js";
import { loadConfigFiles, resolveProfile } from "../config/index.js";
import { chainSpecFromProfile } from "../credentials/from-resolved-profile.js";
import { planCredentials } from "../credentials/plan.js";
import { TobiraError } from "../errors.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";
import type { DoctorContext } from "./context.js";
import { type StepReport, step } from "./report.js";

const TITLE = "config";
const SECRET_KEYS = new Set(["aws_secret_access_key", "aws_session_token"]);
/** Keys tobira and aws-vault read that the AWS CLI ignores: with them the two see different profiles. */
const CLI_IGNORES = [
  "include_profile",
  "mfa_process",
  "session_tags",
  "transitive_session_tags",
  "source_identity",
];

function shown(key: string, setting: Setting): string {
  if (SECRET_KEYS.has(key)) return "(secret, not shown)";
  if (key === "aws_access_key_id") return maskAccessKeyId(setting.value);
  return setting.value;
}

/** The profiles of the chain, from the one named to the one whose key starts it. */
export function chainProfiles(resolved: ResolvedProfile): string[] {
  const names = [
    resolved.name,
    ...resolved.roles.map((hop) => hop.profile).reverse(),
    resolved.source.profile,
  ];
  return [...new Set(names)];
}

function keyLines(files: ConfigFiles, names: string[]): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const sections = files.profiles.get(name);
    for (const section of [sections?.config, sections?.credentials]) {
      if (!section) continue;
      for (const [key, setting] of section.keys) {
        const { file, line } = setting.origin;
        lines.push(`${file}:${line} [${section.header}] ${setting.origin.key} = ${shown(key, setting)}`);
      }
    }
  }
  return lines;
}

interface Finding {
  warning: string;
  fix: string;
}

function regionFinding(files: ConfigFiles, resolved: ResolvedProfile): Finding | undefined {
  if (resolved.region !== undefined) return undefined;
  const section = files.profiles.get(resolved.name)?.config;
  const where = section
    ? `under [${section.header}] in ${section.file} (line ${section.line})`
    : "in the config file";
  return {
    warning: `profile '${resolved.name}' names no region (and AWS_REGION is not set)`,
    fix: `add the line "region = ap-northeast-1" (your region) ${where}`,
  };
}

function cliFindings(files: ConfigFiles, names: string[]): Finding[] {
  const out: Finding[] = [];
  for (const name of names) {
    const sections = files.profiles.get(name);
    for (const key of CLI_IGNORES) {
      const setting = sections?.config?.keys.get(key);
      if (!setting || key !== "include_profile") continue;
      out.push({
        warning: `${setting.origin.file}:${setting.origin.line} include_profile: the AWS CLI ignores it, so \`aws --profile ${name}\` sees fewer keys than tobira`,
        fix: `copy the included keys into [${sections?.config?.header}] if the AWS CLI must use profile '${name}'`,
      });
    }
    const credentials = sections?.credentials;
    const keyId = credentials?.keys.get("aws_access_key_id");
    if (credentials && keyId) {
      out.push({
        warning: `${keyId.origin.file}:${keyId.origin.line} [${credentials.header}] holds a long-term access key in clear`,
        fix: `tobira add ${name} (the key goes into the vault), then delete the key lines of [${credentials.header}] in ${credentials.file}`,
      });
    }
  }
  for (const ignored of files.ignored) {
    out.push({
      warning: `${ignored.file}:${ignored.line} section [${ignored.header}] is skipped by the AWS CLI and tobira: ${ignored.reason}`,
      fix: ignored.meant
        ? `rename the section to [profile ${ignored.meant}]`
        : `fix or remove section [${ignored.header}]`,
    });
  }
  return out;
}

function ignoredKeyNotes(files: ConfigFiles, names: string[]): string[] {
  const notes: string[] = [];
  for (const name of names) {
    for (const key of CLI_IGNORES.slice(1)) {
      const setting = files.profiles.get(name)?.config?.keys.get(key);
      if (setting)
        notes.push(
          `${setting.origin.file}:${setting.origin.line} ${key}: read by tobira, ignored by the AWS CLI`,
        );
    }
  }
  return notes;
}

function chainSummary(resolved: ResolvedProfile): string {
  const roles = resolved.roles.map((hop) => hop.roleArn);
  const from = resolved.source;
  const source =
    from.kind === "sso"
      ? `IAM Identity Center (${from.sso.sessionName !== undefined ? `sso-session ${from.sso.sessionName}` : from.sso.startUrl}): permission set ${from.sso.roleName} in ${from.sso.accountId} for '${from.profile}'`
      : `${from.kind} key of '${from.profile}'`;
  return roles.length === 0
    ? `profile '${resolved.name}' uses ${from.kind === "sso" ? "" : "the "}${source}`
    : `${source} → ${roles.join(" → ")}`;
}

export async function configStep(ctx: DoctorContext): Promise<StepReport> {
  try {
    const files = await loadConfigFiles({ env: ctx.env });
    const resolved = resolveProfile(files, ctx.profile, { env: ctx.env });
    ctx.files = files;
    ctx.resolved = resolved;
    ctx.plan = planCredentials(chainSpecFromProfile(resolved), {
      ...(ctx.flags.durationSeconds === undefined ? {} : { durationSeconds: ctx.flags.durationSeconds }),
      ...(ctx.flags.region === undefined ? {} : { region: ctx.flags.region }),
    });
    const names = chainProfiles(resolved);
    const findings = [regionFinding(files, resolved), ...cliFindings(files, names)].filter(
      (f): f is Finding => f !== undefined,
    );
    const evidence = [
      `config file ${files.configFile.path}${files.configFile.found ? "" : " (not found)"}`,
      `credentials file ${files.credentialsFile.path}${files.credentialsFile.found ? "" : " (not found)"}`,
      ...keyLines(files, names),
      ...(resolved.region === undefined ? [] : [`region ${resolved.region} (from ${resolved.regionFrom})`]),
      ...ignoredKeyNotes(files, names),
      ...findings.map((f) => `warning: ${f.warning}`),
    ];
    if (findings.length === 0) return step("config", TITLE, "ok", chainSummary(resolved), evidence);
    return step(
      "config",
      TITLE,
      "warning",
      findings[0]!.warning,
      evidence,
      findings.map((f) => f.fix).join("\n"),
    );
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    return step(
      "config",
      TITLE,
      "failure",
      error.message,
      [],
      error.hint ?? "fix the config file as the message says",
    );
  }
}
